// Slack: signed slash commands → Bolt's HTTP receiver (signature check, parse, authorize) → the
// adapter's ack → the HTTP response back at the sender; then the real core (PGlite in memory) runs
// and the reply is POSTed to the command's response_url, where the loopback Slack timestamps it.
// "Slack" (the sender and the fake Web API) runs in a child process, so its HTTP work does not
// share the bot's event loop; the bot (Bolt, adapter, core, database) runs in this process.
// `baseline` sends the same requests to a bare node:http server in the bot process that answers
// 200 at once: the floor that the machine and the loopback allow, before any Slack code runs.
// `scheduled_posts` times SlackAdapter.post() with an idempotency key (a daily question): the
// history look-up plus chat.postMessage, then the same post retried (found, nothing posted).
import { fork, type ChildProcess } from 'node:child_process';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { cpus, loadavg } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { SlackAdapter } from '../../src/adapters/slack/adapter.ts';
import { loadSlackConfig } from '../../src/adapters/slack/config.ts';
import { createCore, type Core } from '../../src/app.ts';
import { buttonSigner } from '../../src/core/action.ts';
import { dailyQuestionMessage } from '../../src/core/daily/render.ts';
import { createLogger } from '../../src/logger.ts';
import { FakeSlack, type FakeMessage } from '../../tests/support/fake-slack.ts';
import { summarize, type BenchSuite, type LatencySummary } from '../suite.ts';

const KNOWLEDGE_DIR = path.resolve(import.meta.dirname, '../../knowledge');
const SIGNING_SECRET = 'bench-signing-secret-0123456789abcdef';
const CONCURRENCY = 200;
const ROUNDS = 3;
const WARM_UP = 40;
const GOAL_P99_MS = 100;
const ROLE_VARIABLE = 'COHORT_BENCH_SLACK_SIDE';

interface Scenario {
  name: string;
  command: string;
  text: string;
  /** false: the bare server, which acks and never replies. */
  replies: boolean;
  /** One request at a time instead of CONCURRENCY at once: the service time of one command. */
  sequential?: boolean;
}

const SCENARIOS: Scenario[] = [
  { name: 'baseline', command: '/help', text: '', replies: false },
  { name: 'help', command: '/help', text: '', replies: true },
  { name: 'quiz', command: '/quiz', text: 'count:3', replies: true },
  { name: 'quiz_one_at_a_time', command: '/quiz', text: 'count:3', replies: true, sequential: true },
];

interface ScenarioResult {
  command: string;
  requests: number;
  ack: LatencySummary;
  ack_p99_per_round_ms: number[];
  /** The unmeasured first burst (cold JIT, new connections, members not yet looked up). */
  first_burst_ack_p99_ms?: number;
  reply?: LatencySummary;
}

type ToSlack = { type: 'run'; adapterUrl: string; baselineUrl: string } | { type: 'close' };
type FromSlack = { type: 'ready'; apiUrl: string; botToken: string } | { type: 'results'; results: Record<string, ScenarioResult> } | { type: 'failed'; error: string };

/** The Slack side, in the child process: the fake Web API, and the sender measuring acks and replies. */
async function slackSide(): Promise<void> {
  const send = (message: FromSlack) => process.send!(message);
  const fake = await FakeSlack.start();
  const team = fake.addTeam({ teamId: 'T0BENCH01', name: 'Bench' });
  const users = Array.from({ length: CONCURRENCY }, (_, i) => fake.addUser({ id: `UBENCH${i}`, teamId: team.teamId, name: `member${i}` }));
  // The first message in each channel is the reply to the one command sent there.
  const waiting = new Map<string, (message: FakeMessage) => void>();
  fake.on('message', (message: FakeMessage) => {
    waiting.get(message.channel)?.(message);
    waiting.delete(message.channel);
  });
  let sequence = 0;
  async function one(scenario: Scenario, user: string) {
    const channel = `C0BENCH${sequence++}`;
    const replied = scenario.replies ? new Promise<FakeMessage>((resolve) => waiting.set(channel, resolve)) : undefined;
    const t0 = performance.now();
    const sent = await fake.command({ command: scenario.command, text: scenario.text, user, channel });
    if (sent.status !== 200) throw new Error(`${scenario.command} got HTTP ${sent.status}`);
    if (!replied) return { ack: sent.at - t0 };
    const reply = await replied;
    if (reply.via !== 'response_url') throw new Error(`${scenario.command}: the reply went through ${reply.via}`);
    return { ack: sent.at - t0, reply: reply.at - t0 };
  }
  process.on('message', async (message: ToSlack) => {
    if (message.type === 'close') {
      await fake.close();
      process.exit(0);
    }
    try {
      const results: Record<string, ScenarioResult> = {};
      for (const scenario of SCENARIOS) {
        fake.target = { url: scenario.replies ? message.adapterUrl : message.baselineUrl, signingSecret: SIGNING_SECRET };
        for (let i = 0; i < WARM_UP; i++) await one(scenario, users[i]!.id);
        // A first, unmeasured burst warms the JIT, the connections and the member lookups; its p99 is kept apart.
        const cold = scenario.sequential ? undefined : await Promise.all(users.map((u) => one(scenario, u.id)));
        const samples: { ack: number; reply?: number }[] = [];
        const ackP99PerRound: number[] = [];
        for (let round = 0; round < ROUNDS; round++) {
          const batch: { ack: number; reply?: number }[] = [];
          if (scenario.sequential) for (const u of users.slice(0, CONCURRENCY / 4)) batch.push(await one(scenario, u.id));
          else batch.push(...(await Promise.all(users.map((u) => one(scenario, u.id)))));
          samples.push(...batch);
          ackP99PerRound.push(summarize(batch.map((s) => s.ack)).p99_ms);
        }
        results[scenario.name] = {
          command: `${scenario.command} ${scenario.text}`.trim(),
          requests: samples.length,
          ack: summarize(samples.map((s) => s.ack)),
          ack_p99_per_round_ms: ackP99PerRound,
          ...(cold ? { first_burst_ack_p99_ms: summarize(cold.map((c) => c.ack)).p99_ms } : {}),
          ...(scenario.replies ? { reply: summarize(samples.map((s) => s.reply!)) } : {}),
        };
      }
      const refused = fake.responses.filter((r) => r.status !== 200).length;
      if (refused) throw new Error(`${refused} replies were refused by the fake Slack`);
      send({ type: 'results', results });
    } catch (error) {
      send({ type: 'failed', error: error instanceof Error ? (error.stack ?? error.message) : String(error) });
    }
  });
  send({ type: 'ready', apiUrl: fake.apiUrl, botToken: team.botToken });
}

const SCHEDULED_POSTS = 200;

/** Keyed posts in distinct channels (no pacing waits), one at a time: first attempts, then retries of the same keys. */
async function scheduledPosts(adapter: SlackAdapter, core: Core) {
  const tenantId = 'slack:T0BENCH01';
  const sign = buttonSigner((await core.store.tenants.get(tenantId)).actionSecret, tenantId);
  const question = core.content.questions[0]!;
  const message = dailyQuestionMessage(core.content, question, { scheduleId: 'bench', day: '2026-11-23', revealTime: '18:00', timezone: 'Europe/Paris', ping: 'S0BENCH' }, sign);
  const time = async (channel: string, key: string) => {
    const t0 = performance.now();
    const posted = await adapter.post(tenantId, channel, message, { key });
    return { ms: performance.now() - t0, ts: posted.messageId };
  };
  const first: { ms: number; ts: string }[] = [];
  for (let i = 0; i < SCHEDULED_POSTS; i++) first.push(await time(`C0POST${i}`, `daily.bench.${i}`));
  const retried: { ms: number; ts: string }[] = [];
  for (let i = 0; i < SCHEDULED_POSTS; i++) retried.push(await time(`C0POST${i}`, `daily.bench.${i}`));
  const duplicates = retried.filter((r, i) => r.ts !== first[i]!.ts).length;
  if (duplicates) throw new Error(`${duplicates} retried posts were posted again`);
  return {
    posts: SCHEDULED_POSTS,
    first_attempt: summarize(first.map((r) => r.ms)),
    retry_found_in_history: summarize(retried.map((r) => r.ms)),
  };
}

function next(child: ChildProcess): Promise<FromSlack> {
  return new Promise((resolve, reject) => {
    const onExit = (code: number | null) => reject(new Error(`the Slack side exited (${code})`));
    child.once('exit', onExit);
    child.once('message', (message) => {
      child.off('exit', onExit);
      resolve(message as FromSlack);
    });
  });
}

const suite: BenchSuite = {
  name: 'slack',
  async run() {
    const child = fork(fileURLToPath(import.meta.url), [], {
      execArgv: ['--import', import.meta.resolve('tsx')],
      env: { ...process.env, [ROLE_VARIABLE]: '1' },
      stdio: ['ignore', 'ignore', 'inherit', 'ipc'],
    });
    const ready = await next(child);
    if (ready.type !== 'ready') throw new Error(`the Slack side did not start: ${JSON.stringify(ready)}`);
    const core = await createCore({ config: { databaseUrl: undefined, dataDir: '', knowledgeDir: KNOWLEDGE_DIR }, logger: createLogger('silent'), inMemory: true });
    const config = loadSlackConfig({ SLACK_BOT_TOKEN: ready.botToken, SLACK_SIGNING_SECRET: SIGNING_SECRET, SLACK_PORT: '0', SLACK_HOST: '127.0.0.1', SLACK_API_URL: ready.apiUrl })!;
    const adapter = new SlackAdapter({ config, core, logger: createLogger('silent') });
    await adapter.start();
    const bare = createServer((req, res) => {
      req.resume();
      req.on('end', () => res.writeHead(200).end());
    });
    await new Promise<void>((resolve) => bare.listen(0, '127.0.0.1', resolve));
    const load = loadavg()[0]!;
    try {
      child.send({
        type: 'run',
        adapterUrl: `http://127.0.0.1:${adapter.port}/slack/events`,
        baselineUrl: `http://127.0.0.1:${(bare.address() as AddressInfo).port}/slack/events`,
      } satisfies ToSlack);
      const outcome = await next(child);
      if (outcome.type !== 'results') throw new Error(`the Slack side failed: ${outcome.type === 'failed' ? outcome.error : outcome.type}`);
      const { baseline, quiz_one_at_a_time: oneAtATime, ...commands } = outcome.results;
      const scheduled = await scheduledPosts(adapter, core);
      return {
        concurrency: CONCURRENCY,
        rounds: ROUNDS,
        setup: 'HTTP mode over loopback; sender and fake Slack in a child process, the bot (Bolt, adapter, core, PGlite) in this one',
        machine: { cpus: cpus().length, load_average_1m_at_start: Math.round(load * 100) / 100 },
        goal: `ack p99 ≤ ${GOAL_P99_MS} ms`,
        baseline,
        ...commands,
        quiz_one_at_a_time: oneAtATime,
        adapter_ack_p99_over_baseline_ms: Object.fromEntries(Object.entries(commands).map(([name, r]) => [name, Math.round((r.ack.p99_ms - baseline!.ack.p99_ms) * 100) / 100])),
        meets_goal: Object.values(commands).every((r) => r.ack.p99_ms <= GOAL_P99_MS),
        scheduled_posts: scheduled,
      };
    } finally {
      const exited = new Promise((resolve) => child.once('exit', resolve));
      child.send({ type: 'close' } satisfies ToSlack);
      await exited;
      await new Promise((resolve) => bare.close(resolve));
      await adapter.stop();
      await core.close();
    }
  },
};

export default suite;

if (process.env[ROLE_VARIABLE] && process.send) await slackSide();
