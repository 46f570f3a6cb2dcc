import { defineConfig } from 'prisma/config';

// Migrations are applied by `gatehouse migrate` (src/data/migrations), which needs no native engine.
export default defineConfig({ schema: 'prisma/schema.prisma', migrations: { path: 'prisma/migrations' } });
