const createWithVariable = 'mutation ($input: CreateMachineInput!) { createMachine(input: $input) { __typename } }';

/** Misspellings that graphql-js answers with a "Did you mean" hint, each with a word the error must still name. */
export const misspellings: { name: string; body: { query: string; variables?: Record<string, unknown> }; names: string }[] = [
  { name: 'an unknown field', body: { query: '{ apps { nodes { nam } } }' }, names: 'nam' },
  { name: 'an unknown argument', body: { query: '{ apps(frist: 1) { nodes { name } } }' }, names: 'frist' },
  {
    name: 'an unknown enum value in a literal',
    body: {
      query:
        'mutation { createMachine(input: { app: "demo-web", config: { image: "nginx", restart: { policy: ALWAYZ } } }) { __typename } }',
    },
    names: 'ALWAYZ',
  },
  {
    name: 'an unknown input field in a literal',
    body: { query: 'mutation { createMachine(input: { app: "demo-web", config: { imag: "nginx" } }) { __typename } }' },
    names: 'imag',
  },
  {
    name: 'an unknown enum value in a variable',
    body: {
      query: createWithVariable,
      variables: { input: { app: 'demo-web', config: { image: 'nginx', restart: { policy: 'ALWAYZ' } } } },
    },
    names: 'ALWAYZ',
  },
  {
    name: 'an unknown input field in a variable',
    body: { query: createWithVariable, variables: { input: { app: 'demo-web', config: { imag: 'nginx' } } } },
    names: 'imag',
  },
];
