/**
 * @module
 * The parameter levels between global and host group (Foreman's order: global → organization →
 * location → domain → operating system → host group chain → host) and their nested routes,
 * `/api/<collection>/:owner/parameters`. No imports: the route, audit and search tables read it
 * at load time.
 */

/** A parameter level owned by a record of another collection. */
export interface OwnedParameterLevel {
  scope: 'organization' | 'location' | 'domain' | 'os';
  /** The nested route (Fastify syntax). */
  base: string;
  /** What the owner is called in messages. */
  label: string;
}

/** The owned levels added by the taxonomies and domains (host and host group parameters have their own routes). */
export const OWNED_PARAMETER_LEVELS: readonly OwnedParameterLevel[] = [
  { scope: 'organization', base: '/api/organizations/:owner/parameters', label: 'organization' },
  { scope: 'location', base: '/api/locations/:owner/parameters', label: 'location' },
  { scope: 'domain', base: '/api/domains/:owner/parameters', label: 'domain' },
  { scope: 'os', base: '/api/operatingsystems/:owner/parameters', label: 'operating system' },
];
