import type { CliIo } from '../cliIo.js';
import type { Config } from '../config.js';
import { AcademyError } from '../errors.js';
import { topicByCode } from '../lessons/syllabus.js';
import { dataPaths } from '../paths.js';
import { randomIds, systemClock } from '../ports.js';
import { QaStore } from './store.js';

/** `academy curation list|attach <id> <topic>|handled <id>`: the curation queue in DATA_DIR. */
export function curationCommand(config: Config, args: readonly string[], io: CliIo): number {
  const store = new QaStore(dataPaths(config).qa, systemClock, randomIds);
  try {
    const [command, id, topic] = args;
    if (command === 'list' || command === undefined) {
      const items = store.curation(args.includes('--all') ? 'all' : 'open');
      if (items.length === 0) io.out('The curation queue is empty.');
      for (const i of items) {
        io.out(`#${i.id}  asked ${i.count}x  ${i.reason}${i.topic ? ` (offered ${i.topic})` : ''}  last ${i.lastAsked.slice(0, 10)}  ${i.status}\n    ${i.question}`);
      }
      return 0;
    }
    const n = Number(id);
    if (!Number.isInteger(n)) throw new AcademyError(400, 'Give the item number, e.g. academy curation handled 3', 'id');
    if (command === 'attach') {
      if (!topic || !topicByCode(topic)) throw new AcademyError(400, `"${topic ?? ''}" is not a syllabus topic code`, 'topic');
      store.attach(n, topic);
      io.out(`#${n} attached to ${topic} as a new phrasing.`);
      return 0;
    }
    if (command === 'handled') {
      store.markHandled(n);
      io.out(`#${n} marked handled.`);
      return 0;
    }
    throw new AcademyError(400, `Unknown curation command "${command}" (list, attach, handled)`, 'command');
  } finally {
    store.close();
  }
}
