import { type FormEvent, useState } from 'react';
import { api, errorText } from '../api';
import { useApi } from '../use-api';

interface Community {
  id: string;
  slug: string;
  name: string;
  description: string;
  visibility: string;
  memberCount: number;
  postCount: number;
}

export function CommunitiesScreen() {
  const { data, error, reload } = useApi<{ items: Community[] }>('/v1/communities?limit=100');
  const [name, setName] = useState('');
  const [slug, setSlug] = useState('');
  const [visibility, setVisibility] = useState('public');
  const [failure, setFailure] = useState<string | null>(null);

  async function create(e: FormEvent) {
    e.preventDefault();
    setFailure(null);
    try {
      await api('/v1/communities', { method: 'POST', body: { name, slug, visibility } });
      setName('');
      setSlug('');
      reload();
    } catch (err) {
      setFailure(errorText(err));
    }
  }

  async function archive(community: Community) {
    setFailure(null);
    try {
      await api(`/v1/communities/${community.id}`, { method: 'DELETE' });
      reload();
    } catch (err) {
      setFailure(errorText(err));
    }
  }

  return (
    <section aria-labelledby="com-title">
      <h1 id="com-title">Communities</h1>
      {error && (
        <p role="alert" className="error">
          {error}
        </p>
      )}
      {failure && (
        <p role="alert" className="error">
          {failure}
        </p>
      )}
      <table>
        <thead>
          <tr>
            <th scope="col">Name</th>
            <th scope="col">Slug</th>
            <th scope="col">Visibility</th>
            <th scope="col">Members</th>
            <th scope="col">Posts</th>
            <th scope="col">
              <span className="visually-hidden">Actions</span>
            </th>
          </tr>
        </thead>
        <tbody>
          {(data?.items ?? []).map((c) => (
            <tr key={c.id}>
              <td>{c.name}</td>
              <td>{c.slug}</td>
              <td>{c.visibility}</td>
              <td>{c.memberCount}</td>
              <td>{c.postCount}</td>
              <td>
                <button
                  type="button"
                  className="danger"
                  onClick={() => void archive(c)}
                  aria-label={`Archive ${c.name}`}
                >
                  Archive
                </button>
              </td>
            </tr>
          ))}
        </tbody>
      </table>
      <h2>New community</h2>
      <form className="row" onSubmit={(e) => void create(e)} aria-label="New community">
        <label>
          Name
          <input value={name} onChange={(e) => setName(e.target.value)} required maxLength={100} />
        </label>
        <label>
          Slug
          <input
            value={slug}
            onChange={(e) => setSlug(e.target.value)}
            required
            pattern="[a-z0-9](?:[a-z0-9\-]{0,62}[a-z0-9])?"
          />
        </label>
        <label>
          Visibility
          <select value={visibility} onChange={(e) => setVisibility(e.target.value)}>
            <option value="public">public</option>
            <option value="members_only">members only</option>
            <option value="invite_only">invite only</option>
          </select>
        </label>
        <button type="submit">Create community</button>
      </form>
    </section>
  );
}
