import type { Message } from './message.ts';
import type { Standing, Standings } from '../store/leaderboard.ts';
import type { LeaderboardPeriod } from '../store/tables.ts';

const PERIOD_TITLES: Record<LeaderboardPeriod, string> = { week: 'This week', month: 'This month', all: 'All time', season: 'This season' };
const MEDALS = ['🥇', '🥈', '🥉'];

// toLocaleDateString builds a new formatter on every call, which costs more than the leaderboard query.
const DAY_FORMAT = new Intl.DateTimeFormat('en-GB', { weekday: 'short', day: 'numeric', month: 'short', year: 'numeric', timeZone: 'UTC' });

export function formatDay(isoDate: string): string {
  return DAY_FORMAT.format(new Date(`${isoDate}T00:00:00Z`));
}

function line(s: Standing, viewerId: string | undefined): string {
  const badge = MEDALS[s.rank - 1] ?? `${s.rank}.`;
  const you = s.userId === viewerId ? ' (you)' : '';
  return `${badge} **${s.displayName}**${you}: ${s.points} points · ${s.correct}/${s.answered} correct`;
}

/** The board as /leaderboard shows it, with the viewer's own rank when they are not in the top 10. */
export function leaderboardMessage(standings: Standings, timezone: string, viewerId: string): Message {
  const since = standings.period === 'all' ? '' : ` (since ${formatDay(standings.periodStart)}, ${timezone})`;
  const title = `🏆 Leaderboard · ${PERIOD_TITLES[standings.period]}${since}`;
  if (standings.top.length === 0) return { title, body: 'No points yet in this period. Be the first: /quiz', ephemeral: false };
  let footer: string;
  if (standings.top.some((s) => s.userId === viewerId)) footer = `${standings.participants} member(s) scored in this period.`;
  else if (standings.me) {
    footer = `You: #${standings.me.rank} of ${standings.participants} · ${standings.me.points} points · ${standings.me.correct}/${standings.me.answered} correct.`;
  } else footer = `You have no points in this period yet; /quiz to get on the board. ${standings.participants} member(s) scored.`;
  return { title, body: standings.top.map((s) => line(s, viewerId)).join('\n'), footer, ephemeral: false };
}

/** The final standings of a period that has ended, posted in a channel on schedule. */
export function finalStandingsMessage(standings: Standings, timezone: string): Message {
  const what = standings.period === 'week' ? `week of ${formatDay(standings.periodStart)}` : `month of ${formatDay(standings.periodStart).replace(/^\w+, \d+ /, '')}`;
  const title = `🏁 Final standings · ${what}`;
  if (standings.top.length === 0) return { title, body: 'Nobody scored in this period. A new one has started: /quiz', ephemeral: false };
  return {
    title,
    body: standings.top.map((s) => line(s, undefined)).join('\n'),
    footer: `${standings.participants} member(s) scored (${timezone}). A new ${standings.period} has started: /leaderboard`,
    ephemeral: false,
  };
}
