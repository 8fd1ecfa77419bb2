/** A resource's fields for `*:info`, without the HAL `_links` and `_embedded` plumbing. */
export function resourceProperties(resource: object): Record<string, unknown> {
  return Object.fromEntries(Object.entries(resource).filter(([key]) => !key.startsWith('_')));
}
