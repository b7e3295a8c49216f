import { type FormEvent, useState } from 'react';
import { errorText, login } from '../api';
import { currentPath, navigate } from '../router';

export function LoginScreen() {
  const [brandSlug, setBrandSlug] = useState('');
  const [email, setEmail] = useState('');
  const [password, setPassword] = useState('');
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);

  async function submit(e: FormEvent) {
    e.preventDefault();
    setBusy(true);
    setError(null);
    try {
      const session = await login(brandSlug.trim(), email.trim(), password);
      if (currentPath() === '/')
        navigate(session.role === 'moderator' ? '/moderation' : '/dashboard');
    } catch (err) {
      setError(errorText(err));
    } finally {
      setBusy(false);
    }
  }

  return (
    <main className="login">
      <h1>Brand console</h1>
      <form onSubmit={(e) => void submit(e)} aria-label="Staff sign in">
        <label>
          Brand
          <input
            name="brand"
            value={brandSlug}
            onChange={(e) => setBrandSlug(e.target.value)}
            required
            autoComplete="organization"
          />
        </label>
        <label>
          Email
          <input
            name="email"
            type="email"
            value={email}
            onChange={(e) => setEmail(e.target.value)}
            required
            autoComplete="username"
          />
        </label>
        <label>
          Password
          <input
            name="password"
            type="password"
            value={password}
            onChange={(e) => setPassword(e.target.value)}
            required
            autoComplete="current-password"
          />
        </label>
        {error && (
          <p role="alert" className="error">
            {error}
          </p>
        )}
        <button type="submit" disabled={busy}>
          Sign in
        </button>
      </form>
    </main>
  );
}
