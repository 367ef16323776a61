// `npm test`: everything CI runs — type-check, lint, unit/integration tests, build, end-to-end —
// inside a private Secret Service session (so keychain tests never touch the user's own keyring),
// ending with one summary line: "Tests: N passed, N failed, N skipped".

import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';

const root = resolve(import.meta.dirname, '..');
const PRIVATE_SESSION_FLAG = 'CRYSTAL_DESK_PRIVATE_KEYRING';
// gnome-keyring creates its login collection only when unlocked with a non-empty password.
const KEYRING_PASSWORD = 'crystal-desk-test-keyring';

function which(command: string): string | null {
  const result = spawnSync('sh', ['-c', `command -v ${command}`], { encoding: 'utf8' });
  return result.status === 0 ? result.stdout.trim() : null;
}

// 1. Re-run this script inside dbus-run-session with an unlocked gnome-keyring, once.
if (process.platform === 'linux' && process.env[PRIVATE_SESSION_FLAG] !== '1') {
  const missing = ['dbus-run-session', 'gnome-keyring-daemon'].filter((c) => !which(c));
  if (missing.length > 0) {
    console.error(
      `npm test needs ${missing.join(' and ')} for the keychain tests (Debian: apt-get install dbus gnome-keyring libsecret-1-dev). See README "Prerequisites".`,
    );
    process.exit(1);
  }
  // A throwaway keyring folder: the user's own login keyring is never opened or changed.
  const keyringHome = mkdtempSync(join(tmpdir(), 'crystal-desk-keyring-'));
  const inner = `printf '%s' "$KEYRING_PASSWORD" | gnome-keyring-daemon --unlock --components=secrets >/dev/null && exec "$0" "$@"`;
  const result = spawnSync(
    'dbus-run-session',
    ['--', 'sh', '-c', inner, process.execPath, ...process.argv.slice(1)],
    {
      cwd: root,
      stdio: 'inherit',
      env: {
        ...process.env,
        [PRIVATE_SESSION_FLAG]: '1',
        KEYRING_PASSWORD,
        XDG_DATA_HOME: keyringHome,
      },
    },
  );
  rmSync(keyringHome, { recursive: true, force: true });
  process.exit(result.status ?? 1);
}

// 2. The steps. All run, so one report shows every problem; any failure fails the run.
const resultsDir = resolve(root, 'test-results');
mkdirSync(resultsDir, { recursive: true });
const unitJson = resolve(resultsDir, 'unit-results.json');
const e2eJson = resolve(resultsDir, 'e2e-results.json');
rmSync(unitJson, { force: true });
rmSync(e2eJson, { force: true });

const bin = (name: string) => resolve(root, 'node_modules', '.bin', name);
const needsVirtualDisplay =
  process.platform === 'linux' &&
  !process.env.DISPLAY &&
  !process.env.WAYLAND_DISPLAY &&
  which('xvfb-run');

interface Step {
  name: string;
  command: string;
  args: string[];
}

const steps: Step[] = [
  { name: 'typecheck', command: 'npm', args: ['run', '--silent', 'typecheck'] },
  { name: 'lint', command: 'npm', args: ['run', '--silent', 'lint'] },
  {
    name: 'unit',
    command: bin('vitest'),
    args: ['run', '--reporter=default', '--reporter=json', `--outputFile.json=${unitJson}`],
  },
  { name: 'build', command: bin('electron-vite'), args: ['build', '--logLevel', 'warn'] },
  needsVirtualDisplay
    ? { name: 'e2e', command: 'xvfb-run', args: ['-a', bin('playwright'), 'test'] }
    : { name: 'e2e', command: bin('playwright'), args: ['test'] },
];

const failedSteps: string[] = [];
for (const step of steps) {
  console.log(`\n── ${step.name} ──`);
  const started = Date.now();
  const result = spawnSync(step.command, step.args, { cwd: root, stdio: 'inherit' });
  const seconds = ((Date.now() - started) / 1000).toFixed(1);
  if (result.status !== 0) {
    failedSteps.push(step.name);
    console.log(`✗ ${step.name} failed (${seconds} s)`);
  } else console.log(`✓ ${step.name} (${seconds} s)`);
}

// 3. One summary line over unit and e2e tests; a failed check without tests counts as a failure.
function readJson(file: string): Record<string, unknown> | null {
  if (!existsSync(file)) return null;
  try {
    return JSON.parse(readFileSync(file, 'utf8')) as Record<string, unknown>;
  } catch {
    return null;
  }
}

let passed = 0;
let failed = 0;
let skipped = 0;
const unit = readJson(unitJson) as {
  numPassedTests?: number;
  numFailedTests?: number;
  numPendingTests?: number;
  numTodoTests?: number;
} | null;
if (unit) {
  passed += unit.numPassedTests ?? 0;
  failed += unit.numFailedTests ?? 0;
  skipped += (unit.numPendingTests ?? 0) + (unit.numTodoTests ?? 0);
}
const e2e = readJson(e2eJson) as {
  stats?: { expected?: number; unexpected?: number; skipped?: number; flaky?: number };
} | null;
if (e2e?.stats) {
  passed += (e2e.stats.expected ?? 0) + (e2e.stats.flaky ?? 0);
  failed += e2e.stats.unexpected ?? 0;
  skipped += e2e.stats.skipped ?? 0;
}
// A failed step whose report shows no failing test (a crash, a type error) still counts once.
const countedFailures: Record<string, number> = {
  unit: unit?.numFailedTests ?? 0,
  e2e: e2e?.stats?.unexpected ?? 0,
};
for (const step of failedSteps) {
  if ((countedFailures[step] ?? 0) === 0) failed += 1;
}

// Playwright's list reporter does not print why a test was skipped; say it once per reason.
const skipReasons = new Set<string>();
const collectSkips = (node: unknown): void => {
  if (!node || typeof node !== 'object') return;
  for (const value of Object.values(node)) {
    if (Array.isArray(value)) value.forEach(collectSkips);
    else collectSkips(value);
  }
  const annotation = node as { type?: unknown; description?: unknown };
  if (annotation.type === 'skip' && typeof annotation.description === 'string') {
    skipReasons.add(annotation.description);
  }
};
collectSkips(e2e);

console.log('');
for (const reason of skipReasons) console.log(`Skipped: ${reason}`);
if (failedSteps.length > 0) console.log(`Failed steps: ${failedSteps.join(', ')}`);
console.log(`Tests: ${passed} passed, ${failed} failed, ${skipped} skipped`);
process.exit(failedSteps.length > 0 ? 1 : 0);
