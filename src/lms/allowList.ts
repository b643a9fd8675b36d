/**
 * Which LMSs the academy deals with (config: LMS_ALLOWED_ORIGINS, CMI5_ALLOWED_ENDPOINTS). Every
 * cmi5 launch URL the academy would call, every SCORM session request and every returnURL is
 * checked here, at the edge, before anything else happens.
 */
import { AcademyError } from '../errors.js';

export class LmsAllowList {
  private readonly lms: ReadonlySet<string>;
  private readonly cmi5: ReadonlySet<string>;

  constructor(lmsOrigins: readonly string[], cmi5Endpoints: readonly string[]) {
    this.lms = new Set(lmsOrigins);
    this.cmi5 = new Set(cmi5Endpoints);
  }

  /** A SCO's page origin (the request's Origin header) may start SCORM sessions. */
  isLmsOrigin(origin: string | undefined): origin is string {
    return origin !== undefined && this.lms.has(origin);
  }

  /** The academy may call this URL of a cmi5 LMS. */
  isCmi5Url(url: string): boolean {
    const origin = originOf(url);
    return origin !== undefined && this.cmi5.has(origin);
  }

  /** A 403 naming the launch parameter, before any call, unless the URL is on an allowed cmi5 LMS. */
  requireCmi5Url(field: string, url: string): void {
    if (!this.isCmi5Url(url)) throw new AcademyError(403, 'This learning platform is not one this academy accepts lessons from. Ask the person who runs your course to add it to CMI5_ALLOWED_ENDPOINTS.', field);
  }

  /** Where "Return to your course" may lead: an allowed LMS or cmi5 origin; anything else is dropped. */
  returnUrl(url: string | undefined): string | undefined {
    if (url === undefined) return undefined;
    const origin = originOf(url);
    return origin !== undefined && (this.lms.has(origin) || this.cmi5.has(origin)) ? url : undefined;
  }
}

/** The origin of an http(s) URL without credentials, or undefined. */
export function originOf(url: string): string | undefined {
  try {
    const u = new URL(url);
    if ((u.protocol !== 'https:' && u.protocol !== 'http:') || u.username || u.password) return undefined;
    return u.origin;
  } catch {
    return undefined;
  }
}
