import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { CONFIG_VARIABLES, parseConfig } from '../src/config.js';

interface Service {
  build?: string;
  image?: string;
  environment?: Record<string, string>;
  depends_on?: Record<string, { condition: string }>;
  healthcheck?: { test: string[] };
}

const compose = parse(readFileSync('docker-compose.yml', 'utf8'), { merge: true }) as {
  services: Record<string, Service>;
};

describe('docker-compose.yml (no Docker engine here: its promises are checked as data)', () => {
  const ripples = Object.entries(compose.services).filter(([, s]) => s.build === '.');

  it('runs two Ripple instances from this repository on one PostgreSQL that must be healthy first', () => {
    expect(ripples.map(([name]) => name)).toEqual(['ripple-1', 'ripple-2']);
    const db = compose.services.db as Service;
    expect(db.image).toMatch(/^postgres:\d+/);
    expect(db.healthcheck?.test.join(' ')).toContain('pg_isready');
    for (const [, s] of ripples) {
      expect(s.depends_on?.db?.condition).toBe('service_healthy');
      expect(s.environment?.DATABASE_URL).toMatch(/^postgres:\/\/ripple:\$\{POSTGRES_PASSWORD[^}]*\}@db:5432\/ripple$/);
    }
  });

  it('sets only settings Ripple reads, and its DATABASE_URL is one Ripple accepts', () => {
    for (const [, s] of ripples) {
      for (const name of Object.keys(s.environment ?? {})) expect(CONFIG_VARIABLES).toContain(name);
      const url = (s.environment?.DATABASE_URL ?? '').replace(/\$\{[^}]*\}/, 'secret');
      const parsed = parseConfig({ DATABASE_URL: url });
      expect(parsed.ok && parsed.config.databaseUrl).toBe(url);
    }
  });
});
