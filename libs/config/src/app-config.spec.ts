import { AppConfig, ConfigError } from './app-config';

describe('AppConfig.load', () => {
  it('boots with safe local defaults when nothing is set', () => {
    const config = AppConfig.load({});
    expect(config.db.url).toBe('postgres://postgres@127.0.0.1:5432/loyalty');
    expect(config.redis.url).toBe('redis://127.0.0.1:6379');
    expect(config.http.apiPort).toBe(3000);
    expect(config.http.corsOrigins).toEqual([]);
  });

  it('treats empty variables as unset', () => {
    expect(AppConfig.load({ API_PORT: '' }).http.apiPort).toBe(3000);
  });

  it('coerces and parses values', () => {
    const config = AppConfig.load({
      API_PORT: '8080',
      CORS_ORIGINS: 'https://a.example, https://b.example',
      TRUST_PROXY: 'true',
    });
    expect(config.http.apiPort).toBe(8080);
    expect(config.http.corsOrigins).toEqual(['https://a.example', 'https://b.example']);
    expect(config.http.trustProxy).toBe(true);
  });

  it('selects the TensorFlow.js backend automatically unless overridden', () => {
    expect(AppConfig.load({}).ml.tfBackend).toBe('auto');
    expect(AppConfig.load({ TF_BACKEND: 'cpu' }).ml.tfBackend).toBe('cpu');
    expect(() => AppConfig.load({ TF_BACKEND: 'gpu' })).toThrow(/TF_BACKEND/);
  });

  it('points the api at the local recommender unless RECOMMENDER_URL says otherwise', () => {
    expect(AppConfig.load({}).ml.recommenderUrl).toBe('http://127.0.0.1:3002');
    expect(AppConfig.load({ RECOMMENDER_URL: 'http://rec.internal:8080/' }).ml.recommenderUrl).toBe(
      'http://rec.internal:8080',
    );
    expect(() => AppConfig.load({ RECOMMENDER_URL: 'ftp://rec' })).toThrow(/RECOMMENDER_URL/);
    expect(() => AppConfig.load({ RECOMMENDER_URL: 'not a url' })).toThrow(/RECOMMENDER_URL/);
  });

  it('lists every invalid variable in one error', () => {
    let error: unknown;
    try {
      AppConfig.load({ DATABASE_URL: 'mysql://x', API_PORT: 'abc', JWT_ACCESS_SECRET: 'short' });
    } catch (e) {
      error = e;
    }
    expect(error).toBeInstanceOf(ConfigError);
    const problems = (error as ConfigError).problems.join('\n');
    expect(problems).toContain('DATABASE_URL');
    expect(problems).toContain('API_PORT');
    expect(problems).toContain('JWT_ACCESS_SECRET');
  });

  it('refuses development secrets in production', () => {
    expect(() => AppConfig.load({ NODE_ENV: 'production' })).toThrow(
      /JWT_ACCESS_SECRET.*real secret/s,
    );
    const secret = 'x'.repeat(40);
    expect(() =>
      AppConfig.load({
        NODE_ENV: 'production',
        JWT_ACCESS_SECRET: secret,
        JWT_REFRESH_SECRET: secret,
        OPERATOR_TOKEN: 'o'.repeat(40),
      }),
    ).toThrow(/must differ/);
  });
});
