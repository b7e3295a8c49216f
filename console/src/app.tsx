import { useEffect, useState } from 'react';
import { logout, type Session, sessions } from './api';
import { navigate, usePath } from './router';
import { CampaignsScreen } from './screens/campaigns';
import { CommunitiesScreen } from './screens/communities';
import { DashboardScreen } from './screens/dashboard';
import { DropsScreen } from './screens/drops';
import { LoginScreen } from './screens/login';
import { MembersScreen } from './screens/members';
import { ModerationScreen } from './screens/moderation';
import { RewardsScreen } from './screens/rewards';

const SCREENS = [
  { path: '/dashboard', label: 'Dashboard', roles: ['owner', 'marketer'] },
  { path: '/moderation', label: 'Moderation', roles: ['owner', 'moderator'] },
  { path: '/communities', label: 'Communities', roles: ['owner', 'moderator'] },
  { path: '/drops', label: 'Drops', roles: ['owner', 'moderator', 'marketer'] },
  { path: '/campaigns', label: 'Campaigns', roles: ['owner', 'marketer'] },
  { path: '/members', label: 'Members', roles: ['owner', 'marketer'] },
  { path: '/rewards', label: 'Rewards & rules', roles: ['owner', 'marketer'] },
] as const;

export function App() {
  const [session, setSession] = useState<Session | null>(sessions.get());
  const path = usePath();
  useEffect(() => sessions.subscribe(setSession), []);

  if (!session) return <LoginScreen />;
  const allowed = SCREENS.filter((s) => (s.roles as readonly string[]).includes(session.role));
  const active = allowed.find((s) => path.startsWith(s.path)) ?? allowed[0];
  const rest = path.startsWith(active.path)
    ? path.slice(active.path.length).replace(/^\//, '')
    : '';

  return (
    <div className="shell">
      <header className="top">
        <strong>Brand console</strong>
        <span className="muted">
          {session.brandSlug} · {session.role}
        </span>
        <button type="button" onClick={() => void logout()}>
          Sign out
        </button>
      </header>
      <nav aria-label="Sections" className="side">
        <ul>
          {allowed.map((s) => (
            <li key={s.path}>
              <a
                href={`/console${s.path}`}
                aria-current={s === active ? 'page' : undefined}
                onClick={(e) => {
                  e.preventDefault();
                  navigate(s.path);
                }}
              >
                {s.label}
              </a>
            </li>
          ))}
        </ul>
      </nav>
      <main className="content">{renderScreen(active.path, rest)}</main>
    </div>
  );
}

function renderScreen(path: string, rest: string) {
  switch (path) {
    case '/dashboard':
      return <DashboardScreen />;
    case '/moderation':
      return <ModerationScreen />;
    case '/communities':
      return <CommunitiesScreen />;
    case '/drops':
      return <DropsScreen dropId={rest || null} />;
    case '/campaigns':
      return <CampaignsScreen campaignId={rest || null} />;
    case '/members':
      return <MembersScreen memberId={rest || null} />;
    default:
      return <RewardsScreen />;
  }
}
