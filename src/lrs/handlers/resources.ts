/** The Agents and Activities resources (Communication §2.5, §2.6). */
import { AcademyError } from '../../errors.js';
import type { Handler } from '../dispatch.js';
import { isIri } from '../formats.js';
import { sendXapiJson } from '../http.js';
import { validateAgentParameter } from '../validate.js';

/** Agents resource (Communication §2.6): the Person object for an Agent. */
export const agents: Handler = (req, res) => {
  const url = new URL(req.url ?? '/', 'http://lrs.invalid');
  for (const name of url.searchParams.keys()) {
    if (name !== 'agent') throw new AcademyError(400, `unknown parameter ${name}`, name);
  }
  const raw = url.searchParams.get('agent');
  if (raw === null) throw new AcademyError(400, 'agent is required', 'agent');
  const agent = validateAgentParameter(raw);
  const person: Record<string, unknown> = { objectType: 'Person' };
  if (agent.name !== undefined) person.name = [agent.name];
  if (agent.mbox !== undefined) person.mbox = [agent.mbox];
  if (agent.mbox_sha1sum !== undefined) person.mbox_sha1sum = [agent.mbox_sha1sum];
  if (agent.openid !== undefined) person.openid = [agent.openid];
  if (agent.account !== undefined) person.account = [agent.account];
  sendXapiJson(res, 200, person, {}, req.method === 'HEAD');
};

/** Activities resource (Communication §2.5): the Activity object by id, with its most recent stored definition. */
export function activities(activityDefinition?: (activityId: string) => unknown): Handler {
  return (req, res) => {
    const url = new URL(req.url ?? '/', 'http://lrs.invalid');
    for (const name of url.searchParams.keys()) {
      if (name !== 'activityId') throw new AcademyError(400, `unknown parameter ${name}`, name);
    }
    const id = url.searchParams.get('activityId');
    if (id === null || !isIri(id)) throw new AcademyError(400, 'activityId must be an IRI', 'activityId');
    const definition = activityDefinition?.(id);
    const activity = definition === undefined ? { objectType: 'Activity', id } : { objectType: 'Activity', id, definition };
    sendXapiJson(res, 200, activity, {}, req.method === 'HEAD');
  };
}
