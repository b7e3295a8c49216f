import { type AddressInfo, createServer } from 'node:net';
import type { NestFastifyApplication } from '@nestjs/platform-fastify';
import type { Browser } from 'playwright-core';
import { io } from 'socket.io-client';
import { createRecommenderApp } from '../../apps/recommender/src/bootstrap';
import { createWorkerApp } from '../../apps/worker/src/bootstrap';
import {
  type ConsolePage,
  ensureConsoleBuilt,
  launchChromium,
  openConsole,
  screenshot,
  signIn,
} from '../support/console-browser';
import { insertOrders } from '../support/console-factories';
import { createCommunity, createPost, joinCommunity } from '../support/community-factories';
import {
  type ApiHarness,
  DEFAULT_PASSWORD,
  bootApi,
  registerMember,
  seedTenant,
  unique,
} from '../support/factories';
import { buyOverHttp } from '../support/review-factories';

// Browser flows boot Chromium and both apps: leave headroom on a shared 2-core machine.
jest.setTimeout(90_000);

/**
 * The brand console in a real browser (Debian's Chromium via playwright-core) against the real
 * api and worker: sign in and read the dashboard, approve a held post from the keyboard, watch a
 * drop's stock fall as another client buys, build a campaign and see its audience preview. Any
 * console or page error fails the flow; screenshots land in test-artifacts/console/.
 */
describe('brand console in the browser (e2e)', () => {
  let api: ApiHarness;
  let worker: NestFastifyApplication;
  let recommender: NestFastifyApplication | undefined;
  let browser: Browser;
  let baseUrl: string;
  let tab: ConsolePage | undefined;

  beforeAll(async () => {
    ensureConsoleBuilt();
    // The api reaches the recommender (member lookup) at a port chosen before either boots.
    const port = await freePort();
    api = await bootApi({ OUTBOX_POLL_MS: '50', RECOMMENDER_URL: `http://127.0.0.1:${port}` });
    await api.app.listen(0, '127.0.0.1');
    baseUrl = (await api.app.getUrl()).replace('[::1]', '127.0.0.1');
    worker = await createWorkerApp(api.config);
    await worker.init();
    recommender = await createRecommenderApp(api.config);
    await recommender.listen(port, '127.0.0.1');
    browser = await launchChromium();
  });

  afterEach(async () => {
    await tab?.context.close();
    tab = undefined;
  });

  afterAll(async () => {
    await browser?.close();
    await recommender?.close();
    await worker?.close();
    await api?.close();
  });

  const bearer = (token: string) => ({ authorization: `Bearer ${token}` });

  /** Named products and three other members' orders (tea ×3, mug ×2, honey ×1) in the brand. */
  async function seedCatalogueOrders(tenant: Awaited<ReturnType<typeof seedTenant>>) {
    await api.db.pool.query(
      `insert into products (brand_id, id, name, category, attributes) values
         ($1, 'tea', 'Green Tea', 'drinks', '{}'), ($1, 'mug', 'Stoneware Mug', 'kitchen', '{}'),
         ($1, 'honey', 'Wildflower Honey', 'pantry', '{}')`,
      [tenant.brandId],
    );
    const products = [
      { productId: 'tea', category: 'drinks' },
      { productId: 'mug', category: 'kitchen' },
      { productId: 'honey', category: 'pantry' },
    ];
    for (let i = 0; i < 3; i++) {
      const buyer = await registerMember(api, tenant.slug);
      await buyOverHttp(api, tenant.apiKey.key, buyer.id, products.slice(0, 3 - i));
    }
    // The recommender loads a brand on its first request, which can outlast the api's 1.5 s
    // budget on a loaded machine: the browser steps should see the warm answer.
    await eventually(
      async () =>
        (
          await api
            .http()
            .get(`/v1/members/${tenant.member.id}/recommendations`)
            .set(bearer(tenant.owner.accessToken))
        ).body as { available: boolean },
      (body) => body.available,
      'the recommender to answer for the brand',
      20_000,
    );
  }

  it('signs staff in and shows the dashboard KPIs computed from the orders', async () => {
    const tenant = await seedTenant(api, 'console-dash');
    const other = await registerMember(api, tenant.slug);
    const day = (n: number) => new Date(Date.now() - n * 86_400_000);
    // Member A orders twice, B once: repurchase 50 %, 1.5 orders per customer, AOV $30.
    await insertOrders(api.db, tenant.brandId, [
      [tenant.member.id, day(10), 2000],
      [tenant.member.id, day(5), 4000],
      [other.id, day(3), 3000],
    ]);

    tab = await openConsole(browser, baseUrl);
    const { page } = tab;
    await signIn(page, tenant.slug, tenant.fixture.owner.email, DEFAULT_PASSWORD);
    await page.getByRole('heading', { name: 'Dashboard' }).waitFor();
    const kpi = (label: string) => page.getByRole('group', { name: label });
    await expect(kpi('Repurchase rate').textContent()).resolves.toContain('50.0 %');
    await expect(kpi('Purchase frequency').textContent()).resolves.toContain('1.50');
    await expect(kpi('Average order value').textContent()).resolves.toContain('$30.00');
    await page.getByRole('img', { name: /Revenue per day: 3 points/ }).waitFor();
    await screenshot(page, 'dashboard');

    // The session survives a reload (sessionStorage) and the SPA route is served on a deep link.
    await page.reload();
    await page.getByRole('heading', { name: 'Dashboard' }).waitFor();
    expect(tab.errors).toEqual([]);
  });

  it('approves a held post from the moderation queue with the keyboard (j, a), then mutes and removes with reasons', async () => {
    const tenant = await seedTenant(api, 'console-mod');
    await api
      .http()
      .post('/v1/moderation/rules')
      .set(bearer(tenant.owner.accessToken))
      .send({ name: 'Links', match: 'regex', pattern: 'https?://', action: 'hold' })
      .expect(201);
    const community = await createCommunity(api, tenant.owner.accessToken);
    await joinCommunity(api, tenant.memberTokens.accessToken, community.id);
    const first = await createPost(api, tenant.memberTokens.accessToken, community.id, {
      body: `First link https://example.test/${unique()}`,
    });
    const second = await createPost(api, tenant.memberTokens.accessToken, community.id, {
      body: `Second link https://example.test/${unique()}`,
    });
    expect([first.status, second.status]).toEqual(['held', 'held']);

    tab = await openConsole(browser, baseUrl);
    const { page } = tab;
    await signIn(page, tenant.slug, tenant.fixture.owner.email, DEFAULT_PASSWORD);
    await page.getByRole('link', { name: 'Moderation' }).click();
    const cases = page.getByRole('list', { name: 'Open cases' }).getByRole('listitem');
    await eventually(
      () => cases.count(),
      (n) => n === 2,
      'two open cases',
    );
    await screenshot(page, 'moderation-queue');

    // Oldest first: j moves to the second post, a approves it.
    await page.keyboard.press('j');
    await expect(
      page.getByRole('article', { name: 'Selected case' }).textContent(),
    ).resolves.toContain('Second link');
    await page.keyboard.press('a');
    await page.getByText(/^Approved post by/).waitFor();
    await eventually(
      () => cases.count(),
      (n) => n === 1,
      'one open case left',
    );

    const post = async (id: string) =>
      (await api.http().get(`/v1/posts/${id}`).set(bearer(tenant.owner.accessToken)).expect(200))
        .body as {
        status: string;
      };
    expect((await post(second.id)).status).toBe('published');
    expect((await post(first.id)).status).toBe('held');
    await screenshot(page, 'moderation-approved');

    // The remaining post: mute its author with a typed reason, then remove it with r.
    const reason = page.getByLabel('Reason (shown to the author)');
    await reason.fill('Repeated links after a warning');
    await page.getByRole('button', { name: 'Mute author (m)' }).click();
    await page.getByText(/^Muted .* for 24 h$/).waitFor();
    await reason.fill('Spam link');
    await cases.first().getByRole('button').focus();
    await page.keyboard.press('r');
    await page.getByText(/^Removed post by/).waitFor();
    await page.getByText('The queue is empty.').waitFor();
    expect((await post(first.id)).status).toBe('removed');
    const history = await api
      .http()
      .get(`/v1/moderation/actions?memberId=${tenant.member.id}`)
      .set(bearer(tenant.owner.accessToken))
      .expect(200);
    expect(
      (history.body as { items: { action: string; reason: string }[] }).items.map((a) => [
        a.action,
        a.reason,
      ]),
    ).toEqual(
      expect.arrayContaining([
        ['approve', 'Approved by a moderator'],
        ['mute', 'Repeated links after a warning'],
        ['remove', 'Spam link'],
      ]),
    );
    expect(tab.errors).toEqual([]);
  });

  it('starts a drop from its control room, shows its stock falling live as a second client buys, and ends it', async () => {
    const tenant = await seedTenant(api, 'console-drop');
    const now = Date.now();
    const created = await api
      .http()
      .post('/v1/drops')
      .set(bearer(tenant.owner.accessToken))
      .send({
        title: 'Console drop',
        hostName: 'Host',
        // Already past its start: once scheduled, the worker's first timed move makes it live.
        startsAt: new Date(now - 1_000).toISOString(),
        endsAt: new Date(now + 3_600_000).toISOString(),
        skus: [
          {
            id: 'TEE',
            productId: 'P-TEE',
            name: 'Tee',
            priceMinor: 2500,
            stock: 10,
            perMemberLimit: 3,
          },
          { id: 'CAP', productId: 'P-CAP', name: 'Cap', priceMinor: 1500, stock: 4 },
        ],
      })
      .expect(201);
    const dropId = (created.body as { id: string; status: string }).id;

    tab = await openConsole(browser, baseUrl);
    const { page } = tab;
    await signIn(page, tenant.slug, tenant.fixture.owner.email, DEFAULT_PASSWORD);
    await page.getByRole('link', { name: 'Drops' }).click();
    await page.getByRole('link', { name: 'Console drop' }).click();
    await page.getByRole('heading', { name: 'Console drop' }).waitFor();
    const stock = (sku: string) => page.getByTestId(`stock-${sku}`);
    const status = () => page.getByTestId('drop-status').textContent();
    await waitForText(status, 'draft');
    await waitForText(() => stock('TEE').textContent(), '10');
    await waitForText(() => stock('CAP').textContent(), '4');
    await waitForText(() => page.getByTestId('viewers').textContent(), /^[1-9]\d*$/);

    await page.getByRole('button', { name: 'Start (schedule)' }).click();
    // scheduled → live arrives over the socket (the worker moves it), without a reload.
    await waitForText(status, 'live', 20_000);

    // A member (the second client) reserves 3 tees over HTTP and chats in the room.
    await api
      .http()
      .post(`/v1/drops/${dropId}/reservations`)
      .set(bearer(tenant.memberTokens.accessToken))
      .send({ skuId: 'TEE', quantity: 3, idempotencyKey: `k-${unique()}` })
      .expect(201);
    await waitForText(() => stock('TEE').textContent(), '7');
    expect(await stock('CAP').textContent()).toBe('4');

    const viewer = io(baseUrl, {
      auth: { token: tenant.memberTokens.accessToken },
      transports: ['websocket'],
      reconnection: false,
      forceNew: true,
    });
    try {
      await new Promise<void>((resolve, reject) => {
        viewer.once('connect_error', reject);
        viewer.once('session', () => resolve());
      });
      expect(await viewer.timeout(10_000).emitWithAck('drop:join', { dropId })).toMatchObject({
        ok: true,
      });
      expect(
        await viewer
          .timeout(10_000)
          .emitWithAck('drop:chat', { dropId, body: 'Is the tee true to size?' }),
      ).toMatchObject({ ok: true });
      const chat = page.getByRole('list', { name: 'Chat messages' });
      await chat.getByText('Is the tee true to size?').waitFor();
      await screenshot(page, 'drop-control-room');

      // Chat moderation from the room: the message disappears for everyone.
      const deleted = new Promise((resolve) => viewer.once('drop.chat_deleted', resolve));
      await chat.getByRole('button', { name: /^Delete message from/ }).click();
      await deleted;
      await chat.getByText('No messages yet.').waitFor();
    } finally {
      viewer.disconnect();
    }

    await page.getByRole('button', { name: 'End drop now' }).click();
    await waitForText(status, 'ended');
    await page.getByText('Drop ended: sales are closed and the report is written').waitFor();
    expect(await page.getByRole('button', { name: 'End drop now' }).isDisabled()).toBe(true);
    expect(await page.getByRole('button', { name: 'Cancel drop' }).isDisabled()).toBe(true);
    const ended = await api
      .http()
      .get(`/v1/drops/${dropId}/report`)
      .set(bearer(tenant.owner.accessToken))
      .expect(200);
    expect(ended.body).toMatchObject({ dropId });
    const { rows } = await api.db.pool.query<{ to_status: string; actor_type: string }>(
      'select to_status, actor_type from drop_transitions where brand_id = $1 and drop_id = $2 order by at',
      [tenant.brandId, dropId],
    );
    expect(rows.at(-1)).toEqual({ to_status: 'ended', actor_type: 'staff' });
    await screenshot(page, 'drop-ended');
    expect(tab.errors).toEqual([]);
  });

  it('builds a campaign, shows its audience preview, launches it and charts treatment vs holdout', async () => {
    const tenant = await seedTenant(api, 'console-camp');
    await registerMember(api, tenant.slug);
    await registerMember(api, tenant.slug);
    const members = (
      await api.db.pool.query<{ n: number }>(
        'select count(*)::int as n from members where brand_id = $1',
        [tenant.brandId],
      )
    ).rows[0].n;
    expect(members).toBe(3);

    tab = await openConsole(browser, baseUrl);
    const { page } = tab;
    await signIn(page, tenant.slug, tenant.fixture.owner.email, DEFAULT_PASSWORD);
    await page.getByRole('link', { name: 'Campaigns' }).click();
    const form = page.getByRole('form', { name: 'New campaign' });
    await form.getByLabel('Campaign name').fill('Come back');
    await form.getByLabel('Trigger').selectOption('days_since_last_purchase');
    await form.getByLabel('Days without a purchase').fill('45');
    await form.getByLabel('Reward: points per offer').fill('150');
    await form.getByLabel('Budget (points)').fill('3000');
    await form.getByLabel('Holdout (%)').fill('20');
    await form.getByRole('button', { name: 'Create draft and preview' }).click();

    await page.getByRole('heading', { name: 'Come back' }).waitFor();
    const preview = page.getByRole('article', { name: 'Audience preview' });
    await waitForText(() => preview.getByTestId('audience-size').textContent(), String(members));
    // 20 % of 3 members rounds to 1 held out; 2 treated × 150 points.
    await expect(preview.textContent()).resolves.toContain('2 / 1');
    await expect(preview.textContent()).resolves.toContain('300 pts');
    await screenshot(page, 'campaign-preview');

    // Launched, it reports treatment against holdout (nothing triggered yet: both arms empty).
    await page.getByRole('button', { name: 'Launch' }).click();
    await page.getByText('Status: active', { exact: false }).waitFor();
    await page
      .getByRole('img', { name: /^Conversion: treatment vs holdout: treatment .*, holdout / })
      .waitFor();
    await screenshot(page, 'campaign-results');

    const list = await api
      .http()
      .get('/v1/campaigns')
      .set(bearer(tenant.owner.accessToken))
      .expect(200);
    expect((list.body as { items: unknown[] }).items).toEqual([
      expect.objectContaining({
        name: 'Come back',
        status: 'active',
        trigger: { type: 'days_since_last_purchase', days: 45 },
        reward: { type: 'points', points: 150 },
        holdoutBp: 2000,
      }),
    ]);
    expect(tab.errors).toEqual([]);
  });

  it('looks a member up: profile, points, ledger, predictions and recommendations with reasons', async () => {
    const tenant = await seedTenant(api, 'console-member');
    // Other members' orders: the looked-up member has none, so gets the brand's popular items.
    await seedCatalogueOrders(tenant);
    await api
      .http()
      .post(`/v1/members/${tenant.member.id}/points/adjustments`)
      .set(bearer(tenant.owner.accessToken))
      .set('idempotency-key', `adj-${unique()}`)
      .send({ points: 120, reason: 'Goodwill for a late parcel' })
      .expect(201);
    await api.db.pool.query(
      `insert into member_predictions (brand_id, member_id, algorithm, next_purchase_at, p7, p14, p28, p_alive,
                                       expected_purchases_12m, clv_12m_minor)
       values ($1, $2, 'hazard', now() + interval '5 days', 0.42, 0.6, 0.8, 0.9, 6, 12345)`,
      [tenant.brandId, tenant.member.id],
    );

    tab = await openConsole(browser, baseUrl);
    const { page } = tab;
    await signIn(page, tenant.slug, tenant.fixture.owner.email, DEFAULT_PASSWORD);
    await page.getByRole('link', { name: 'Members' }).click();
    // The buyers are listed too (every seeded member is called Test): pick ours by its link.
    await page.locator(`a[href="/console/members/${tenant.member.id}"]`).click();
    const profile = page.getByRole('article', { name: 'Profile' });
    await profile.getByText(tenant.member.email).waitFor();
    // An adjustment is spendable but is not "earned" (lifetime earned counts earn entries only).
    await profile.getByText('120 available, 0 pending, 0 earned in total').waitFor();
    // The tier shows "—" until the brand's tier list has loaded (its own request): wait for it.
    await profile.getByText('No tier programme').waitFor();
    const ledger = page.getByRole('article', { name: 'Points ledger' });
    await ledger.getByRole('cell', { name: 'Goodwill for a late parcel' }).waitFor();
    const predictions = page.getByRole('article', { name: 'Predictions' });
    await predictions.getByText('42.0 % / 80.0 %').waitFor();
    await predictions.getByText('$123.45').waitFor();
    const recommended = page.getByRole('article', { name: 'Recommendations' });
    await recommended.getByText('No purchases yet: popular products.').waitFor();
    const rows = recommended
      .getByRole('table', { name: 'Recommended products' })
      .locator('tbody tr');
    await eventually(
      () => rows.count(),
      (n) => n === 3,
      'three recommended products',
    );
    // Best first: three buyers of the tea, two of the mug, one of the honey; each row has its
    // score and reason.
    expect(await rows.nth(0).getByRole('rowheader').textContent()).toContain('Green Tea');
    expect(await rows.nth(0).textContent()).toContain('popular in drinks');
    expect(await rows.nth(1).getByRole('rowheader').textContent()).toContain('Stoneware Mug');
    expect(await rows.nth(1).textContent()).toContain('popular in kitchen');
    expect(await rows.nth(2).textContent()).toContain('popular in pantry');
    const scores = (await rows.locator('td:nth-child(2)').allTextContents()).map(Number);
    expect(scores[0]).toBeGreaterThan(scores[1]);
    expect(scores[1]).toBeGreaterThan(scores[2]);
    await screenshot(page, 'member-lookup');
    expect(tab.errors).toEqual([]);
  });

  it('opens an unscored member without any console error, then says recommendations are unavailable when the recommender is down', async () => {
    const tenant = await seedTenant(api, 'console-unscored');
    await seedCatalogueOrders(tenant);

    tab = await openConsole(browser, baseUrl);
    const { page } = tab;
    await signIn(page, tenant.slug, tenant.fixture.owner.email, DEFAULT_PASSWORD);
    await page.goto(`/console/members/${tenant.member.id}`);
    const predictions = page.getByRole('article', { name: 'Predictions' });
    await predictions
      .getByText('Not scored yet: predictions come after the member’s first paid order.')
      .waitFor();
    const recommended = page.getByRole('article', { name: 'Recommendations' });
    await recommended.getByRole('table', { name: 'Recommended products' }).waitFor();
    await page.waitForLoadState('networkidle');
    expect(tab.errors).toEqual([]);

    await recommender!.close();
    recommender = undefined;
    await page.reload();
    await recommended
      .getByText('Recommendations unavailable: the recommender did not answer.')
      .waitFor();
    // Trying again asks once more and still fails quietly.
    await recommended.getByRole('button', { name: 'Try again' }).click();
    await recommended.getByRole('button', { name: 'Try again' }).waitFor();
    await predictions.getByText(/^Not scored yet/).waitFor();
    await page.waitForLoadState('networkidle');
    await screenshot(page, 'member-unscored-recommender-down');
    expect(tab.errors).toEqual([]);
  });

  it('loads every screen without console errors, every input labelled and every control named', async () => {
    const tenant = await seedTenant(api, 'console-a11y');
    const owner = bearer(tenant.owner.accessToken);
    await createCommunity(api, tenant.owner.accessToken, { name: 'Runners' });
    await api
      .http()
      .post('/v1/rewards')
      .set(owner)
      .send({ type: 'product', name: 'Mug', costPoints: 100 })
      .expect(201);
    await api
      .http()
      .post('/v1/loyalty/rules')
      .set(owner)
      .send({ kind: 'signup', name: 'Welcome', points: 50 })
      .expect(201);

    tab = await openConsole(browser, baseUrl);
    const { page } = tab;
    await signIn(page, tenant.slug, tenant.fixture.owner.email, DEFAULT_PASSWORD);
    for (const [link, heading] of [
      ['Dashboard', 'Dashboard'],
      ['Moderation', 'Moderation queue'],
      ['Communities', 'Communities'],
      ['Drops', 'Drops'],
      ['Campaigns', 'Campaigns'],
      ['Members', 'Member lookup'],
      ['Rewards & rules', 'Rewards and earning rules'],
    ]) {
      await page
        .getByRole('navigation', { name: 'Sections' })
        .getByRole('link', { name: link })
        .click();
      await page.getByRole('heading', { level: 1, name: heading }).waitFor();
      await page.waitForLoadState('networkidle');
      // Source text: the check runs in the page (DOM), not in this Node process.
      const unnamed = await page.evaluate<string[]>(`(() => {
        const problems = [];
        for (const field of document.querySelectorAll('input, select, textarea'))
          if (!field.labels?.length && !field.getAttribute('aria-label')) problems.push(field.outerHTML);
        for (const control of document.querySelectorAll('button, a'))
          if (!control.textContent?.trim() && !control.getAttribute('aria-label')) problems.push(control.outerHTML);
        return problems;
      })()`);
      expect({ screen: link, unnamed }).toEqual({ screen: link, unnamed: [] });
    }
    await page.getByRole('cell', { name: 'Mug', exact: true }).waitFor();
    await screenshot(page, 'rewards-and-rules');
    expect(tab.errors).toEqual([]);
  });
});

/** A port nothing listens on right now. */
async function freePort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  await new Promise((resolve) => server.close(resolve));
  return port;
}

/** Polls until the value satisfies `ok`. */
async function eventually<T>(
  read: () => Promise<T>,
  ok: (value: T) => boolean,
  what: string,
  timeoutMs = 10_000,
): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  let last: T | undefined;
  while (Date.now() < deadline) {
    last = await read();
    if (ok(last)) return last;
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
  throw new Error(`timed out waiting for ${what}; last value ${JSON.stringify(last)}`);
}

/** Polls a text getter until it equals (or matches) the expectation; fails with the last value. */
async function waitForText(
  read: () => Promise<string | null>,
  expected: string | RegExp,
  timeoutMs = 10_000,
): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  let last: string | null = null;
  while (Date.now() < deadline) {
    last = (await read().catch(() => null))?.trim() ?? null;
    if (last !== null && (typeof expected === 'string' ? last === expected : expected.test(last)))
      return;
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
  throw new Error(`expected ${String(expected)}, last saw ${JSON.stringify(last)}`);
}
