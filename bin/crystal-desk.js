#!/usr/bin/env node
// The crystal-desk command. Plain JavaScript on purpose: it must run on any Node far enough to say
// which Node it needs, before loading the TypeScript CLI (Node >= 22.18 runs it with type stripping).

const [major, minor] = process.versions.node.split('.').map(Number);
if (major < 22 || (major === 22 && minor < 18)) {
  console.error(
    `crystal-desk needs Node.js 22.18 or newer (this is ${process.versions.node}).\n` +
      "From the project folder, run it through npm, which uses the project's own Node 24: npm run cli -- <command>",
  );
  process.exit(1);
}

const { runCli } = await import('../src/cli/main.ts');
process.exitCode = await runCli(process.argv.slice(2));
