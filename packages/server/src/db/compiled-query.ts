import type { Compilable, CompiledQuery, QueryResult } from 'kysely';

/** Stands for the n-th parameter while a query is compiled. */
class Placeholder {
  constructor(readonly index: number) {}
}

/**
 * A query on a hot path, built and compiled by Kysely once and then run with new parameters:
 * building a query's tree and compiling it cost several times what a point lookup on SQLite's
 * cached statement costs. Every value in the query must come from `parameters` — a value
 * computed inside `build` (a clock, a setting) would be frozen at the first call, so the first
 * compilation refuses any that does not.
 */
export class CompiledQueries {
  private readonly compiled = new Map<string, { query: CompiledQuery; positions: number[] }>();

  constructor(private readonly db: { executeQuery<Row>(query: CompiledQuery<Row>): Promise<QueryResult<Row>> }) {}

  /** The rows of the query named `name`, built by `build` the first time only. */
  async rows<Row, Params extends readonly unknown[]>(name: string, build: (...parameters: Params) => Compilable<Row>, ...parameters: Params): Promise<Row[]> {
    const { query, positions } = this.compiled.get(name) ?? this.compile(name, build, parameters.length);
    const result = await this.db.executeQuery<Row>({ ...query, parameters: positions.map((index) => parameters[index]) });
    return result.rows;
  }

  private compile<Row, Params extends readonly unknown[]>(name: string, build: (...parameters: Params) => Compilable<Row>, count: number) {
    const placeholders = Array.from({ length: count }, (_, index) => new Placeholder(index)) as unknown as Params;
    const query = build(...placeholders).compile();
    const positions = query.parameters.map((value) => {
      if (!(value instanceof Placeholder)) throw new Error(`Query "${name}" holds a value that is not one of its parameters: pass it as a parameter.`);
      return value.index;
    });
    const entry = { query: { ...query, parameters: [] }, positions };
    this.compiled.set(name, entry);
    return entry;
  }
}
