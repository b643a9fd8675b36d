import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { parseLesson } from './parser.js';
import { TOPIC_AREAS, type TopicArea } from './syllabus.js';
import type { Lesson } from './types.js';

/** Files in content/ that are not topic files. */
const NOT_TOPICS = new Set(['FORMAT.md', 'README.md', 'glossary.md']);

export function topicFiles(dir: string): string[] {
  return readdirSync(dir)
    .filter((f) => f.endsWith('.md') && !NOT_TOPICS.has(f))
    .sort()
    .map((f) => join(dir, f));
}

export interface Course {
  readonly area: TopicArea;
  /** In the suggested order: syllabus order. */
  readonly lessons: readonly Lesson[];
}

/** The loaded lessons, read-only, with lookups the dialogs need. */
export class Catalog {
  private readonly byId: Map<string, Lesson>;
  private readonly byTopic: Map<string, Lesson>;
  readonly courses: readonly Course[];

  constructor(readonly lessons: readonly Lesson[], topicOrder: readonly string[]) {
    this.byId = new Map(lessons.map((l) => [l.id, l]));
    this.byTopic = new Map(lessons.map((l) => [l.topic, l]));
    const order = (l: Lesson) => topicOrder.indexOf(l.topic);
    this.courses = TOPIC_AREAS.map((area) => ({
      area,
      lessons: lessons.filter((l) => l.area === area.code).sort((a, b) => order(a) - order(b)),
    })).filter((c) => c.lessons.length > 0);
  }

  lesson(id: string): Lesson | undefined {
    return this.byId.get(id);
  }

  lessonForTopic(code: string): Lesson | undefined {
    return this.byTopic.get(code);
  }

  course(area: string): Course | undefined {
    return this.courses.find((c) => c.area.code === area);
  }
}

interface Cached {
  mtimeMs: number;
  lesson: Lesson;
}

/**
 * Reads content files, parsing each only when it changed since the last load (a loader cache,
 * so `reload()` after an edit costs one parse).
 */
export class ContentLoader {
  private readonly cache = new Map<string, Cached>();

  constructor(private readonly dir: string) {}

  load(): Lesson[] {
    return topicFiles(this.dir).map((file) => {
      const mtimeMs = statSync(file).mtimeMs;
      const hit = this.cache.get(file);
      if (hit && hit.mtimeMs === mtimeMs) return hit.lesson;
      const lesson = parseLesson(readFileSync(file, 'utf8'), file);
      this.cache.set(file, { mtimeMs, lesson });
      return lesson;
    });
  }
}
