import type { BackchannelLogout, LogoutQueue } from '../../domain/ports/sessions.js';

/** Back-channel logouts waiting in this process (the embedded default has one instance). */
export function createMemoryLogoutQueue(): LogoutQueue {
  const due = new Map<string, { logout: BackchannelLogout; at: number }>();
  return {
    async enqueue(logout, dueAt) {
      due.set(logout.id, { logout: { ...logout }, at: dueAt.getTime() });
    },
    async claimDue(now, leaseUntil, limit) {
      const ready = [...due.values()]
        .filter((entry) => entry.at <= now.getTime())
        .sort((a, b) => a.at - b.at)
        .slice(0, limit);
      for (const entry of ready) entry.at = leaseUntil.getTime();
      return ready.map((entry) => ({ ...entry.logout }));
    },
    async complete(id) {
      due.delete(id);
    },
  };
}
