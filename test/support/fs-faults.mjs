// Preloaded (`node --import`) into an ingest process by the index-swap tests: FS_FAULT=kill:N kills the
// process (SIGKILL) just before its Nth rename, symlink, rm or unlink, so that every step of replacing an
// index can be interrupted in turn. (FS_FAULT=fail:N makes that call fail with EACCES instead.)
import fs from 'node:fs';
import { syncBuiltinESMExports } from 'node:module';

const [mode, at] = (process.env.FS_FAULT ?? '').split(':');
const target = Number(at);
let calls = 0;
for (const name of ['rename', 'symlink', 'rm', 'unlink']) {
  const original = fs.promises[name];
  fs.promises[name] = async (...args) => {
    calls += 1;
    if (calls === target) {
      if (mode === 'kill') process.kill(process.pid, 'SIGKILL');
      throw Object.assign(new Error(`EACCES: permission denied, ${name} '${args[0]}'`), { code: 'EACCES', syscall: name });
    }
    return original(...args);
  };
}
syncBuiltinESMExports();
process.on('exit', () => {
  if (calls < target) process.stderr.write('fs-fault: not reached\n');
});
