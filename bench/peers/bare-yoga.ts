/**
 * The reference peer: graphql-yoga answering `{ hello }` on node:http, nothing else. Every other figure is reported
 * as a ratio to this one, measured in the same run on the same core.
 *
 *   PORT=4100 node --import tsx peers/bare-yoga.ts     (from bench/)
 */
import { createServer } from 'node:http';
import { createSchema, createYoga } from 'graphql-yoga';

const yoga = createYoga({
  schema: createSchema({ typeDefs: 'type Query { hello: String! }', resolvers: { Query: { hello: () => 'world' } } }),
  logging: false,
  graphiql: false,
});
const server = createServer(yoga);
server.listen(Number(process.env.PORT ?? 4100), '127.0.0.1', () =>
  console.log(`listening http://127.0.0.1:${process.env.PORT ?? 4100}/graphql`),
);
process.on('SIGTERM', () => server.close(() => process.exit(0)));
