// A validation error names the field that is wrong (errors.fields.<name>); a field without a word
// would reach the person as its code name ("rsitClass"). The routes' TypeBox body schemas are the
// list of what the server may name, so every property of every body of the incident and crisis
// routes (nested ones too: a pointer's last step is what errorMessage names) must have a word.
import type { FastifyPluginAsync } from 'fastify';
import { describe, expect, it } from 'vitest';
import { crisisRoutes } from '../../server/features/crises/routes';
import { incidentRoutes } from '../../server/features/incidents/routes';
import { situationRoutes } from '../../server/features/situation/routes';
import { FIELD_NAMES } from './errorMessage';

interface Registered {
  method: string;
  url: string;
  body: unknown;
}

/** Stands in for anything the plugins read from the platform while registering (limits, config): never called. */
const anything: unknown = new Proxy(function () {}, {
  get: (_t, key) => (key === 'then' ? undefined : anything),
  apply: () => anything,
});

/** Register a route plugin on a recorder instead of Fastify: the routes with their body schemas. */
async function routesOf(plugin: FastifyPluginAsync<never>): Promise<Registered[]> {
  const routes: Registered[] = [];
  const record =
    (method: string) =>
    (url: string, opts?: { schema?: { body?: unknown } }) =>
      void routes.push({ method, url, body: typeof opts === 'object' ? opts?.schema?.body : undefined });
  const app: unknown = new Proxy(
    {},
    {
      get(_t, key) {
        if (key === 'then') return undefined;
        if (typeof key === 'string' && ['get', 'post', 'put', 'patch', 'delete'].includes(key)) return record(key.toUpperCase());
        if (key === 'route') return (o: { method: string; url: string; schema?: { body?: unknown } }) => void routes.push({ method: String(o.method), url: o.url, body: o.schema?.body });
        if (key === 'register') return async (inner: FastifyPluginAsync<never>, o: never) => void (await inner(app as never, o));
        return () => app;
      },
    },
  );
  await plugin(app as never, { p: anything } as never);
  return routes;
}

/** Every property name of a JSON schema, at any depth (objects, arrays, unions, records). */
function propertyNames(schema: unknown, into = new Set<string>()): Set<string> {
  if (!schema || typeof schema !== 'object') return into;
  const s = schema as Record<string, unknown>;
  if (s.properties && typeof s.properties === 'object') {
    for (const [name, sub] of Object.entries(s.properties)) {
      into.add(name);
      propertyNames(sub, into);
    }
  }
  for (const key of ['items', 'anyOf', 'oneOf', 'allOf', 'additionalProperties', 'not']) {
    const sub = s[key];
    if (Array.isArray(sub)) for (const x of sub) propertyNames(x, into);
    else propertyNames(sub, into);
  }
  if (s.patternProperties && typeof s.patternProperties === 'object') for (const x of Object.values(s.patternProperties)) propertyNames(x, into);
  return into;
}

describe('the words for the fields of the incident and crisis forms', () => {
  it('name every body field of the incident, situation and crisis routes', async () => {
    const routes = [...(await routesOf(incidentRoutes as never)), ...(await routesOf(situationRoutes as never)), ...(await routesOf(crisisRoutes as never))];
    const withBody = routes.filter((r) => r.body !== undefined);
    // The recorder saw the routes (a plugin that stopped early would make this test pass on nothing).
    expect(withBody.map((r) => `${r.method} ${r.url}`)).toEqual(
      expect.arrayContaining(['POST /api/v1/incidents', 'PATCH /api/v1/incidents/:id', 'POST /api/v1/incidents/:id/links', 'POST /api/v1/crises', 'POST /api/v1/crises/:id/sitreps', 'POST /api/v1/crises/:id/evaluation']),
    );
    const known = new Set<string>(FIELD_NAMES);
    const missing = withBody.flatMap((r) => [...propertyNames(r.body)].filter((name) => !known.has(name)).map((name) => `${name} (${r.method} ${r.url})`));
    expect(missing).toEqual([]);
  });

  it('see the fields nested in a body (the marking of an update, the translations of a sitrep)', () => {
    const names = propertyNames({ type: 'object', properties: { marking: { type: 'object', properties: { audience: { anyOf: [{ type: 'object', properties: { organisations: { type: 'array', items: { type: 'string' } } } }] } } } } });
    expect([...names].sort()).toEqual(['audience', 'marking', 'organisations']);
  });
});
