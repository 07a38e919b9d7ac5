// A stand-in for an Airbyte destination image in tests: `check` and `write` as the protocol says.
// config: { output: file for received lines, fail?: message for check, exitAfterStates?: n, echo?: false }
import { appendFileSync, readFileSync } from 'node:fs';
import { createInterface } from 'node:readline';

const [verb, ...args] = process.argv.slice(2);
const argument = (name) => args[args.indexOf(name) + 1];
const config = JSON.parse(readFileSync(argument('--config'), 'utf8'));
const say = (message) => process.stdout.write(`${JSON.stringify(message)}\n`);

if (verb === 'check') {
  if (config.fail) say({ type: 'CONNECTION_STATUS', connectionStatus: { status: 'FAILED', message: `${config.fail} (password ${config.password})` } });
  else say({ type: 'CONNECTION_STATUS', connectionStatus: { status: 'SUCCEEDED' } });
  process.exit(0);
}

const catalog = JSON.parse(readFileSync(argument('--catalog'), 'utf8'));
appendFileSync(config.output, `${JSON.stringify({ catalog })}\n`);
let states = 0;
let records = 0;
for await (const line of createInterface({ input: process.stdin })) {
  const message = JSON.parse(line);
  appendFileSync(config.output, `${line}\n`);
  if (message.type === 'RECORD') records += 1;
  if (message.type !== 'STATE') continue;
  states += 1;
  if (config.exitAfterStates !== undefined && states > config.exitAfterStates) {
    say({ type: 'TRACE', trace: { type: 'ERROR', emitted_at: 0, error: { message: `disk full near ${config.password}`, failure_type: 'system_error' } } });
    process.exit(3);
  }
  if (config.echo !== false) say({ type: 'STATE', state: { ...message.state, destinationStats: { recordCount: records } } });
}
say({ type: 'LOG', log: { level: 'INFO', message: `wrote ${records} records` } });
