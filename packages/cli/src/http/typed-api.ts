/**
 * @module
 * Typed calls of the schema-first resources: bodies and answers are the `Static` types of the
 * schemas in `@remex/common` (`api/<resource>.ts`) the server validates and serializes with.
 */
import type { Subnet, SubnetCreate, SubnetRecord, SubnetUpdate } from '@remex/common';

import type { ApiClient, ListOptions, ListResponse } from './api-client.ts';

const ref = (id: string | number): string => encodeURIComponent(String(id));

/** `/api/subnets`. */
export class SubnetApi {
  private readonly client: ApiClient;

  /** @param client - the API client */
  constructor(client: ApiClient) {
    this.client = client;
  }

  /** A page (or, without `page`/`perPage`, every page) of subnets. */
  list(options: ListOptions = {}): Promise<ListResponse<Subnet>> {
    return this.client.list<Subnet>('/api/subnets', options);
  }

  /** A subnet by id or name. */
  show(id: string | number): Promise<Subnet> {
    return this.client.get<Subnet>(`/api/subnets/${ref(id)}`);
  }

  /** Creates a subnet. */
  create(body: SubnetCreate): Promise<Subnet> {
    return this.client.post<Subnet>('/api/subnets', { subnet: body });
  }

  /** Updates the given attributes of a subnet. */
  update(id: string | number, body: SubnetUpdate): Promise<Subnet> {
    return this.client.put<Subnet>(`/api/subnets/${ref(id)}`, { subnet: body });
  }

  /** Deletes a subnet; answers its stored attributes. */
  delete(id: string | number): Promise<SubnetRecord> {
    return this.client.delete<SubnetRecord>(`/api/subnets/${ref(id)}`);
  }
}
