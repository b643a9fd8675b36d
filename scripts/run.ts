/** How the training scripts end: 0 when done; a bad training file (AcademyError) prints its message and gives 1. */
import { isAcademyError } from '../src/errors.js';

export function runScript(work: () => void): number {
  try {
    work();
    return 0;
  } catch (e) {
    if (!isAcademyError(e)) throw e;
    console.error(e.message);
    return 1;
  }
}
