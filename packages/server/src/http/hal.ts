/** HAL `_links`: a rel is present only when its condition holds (action links follow the policy). */
export type Links = Record<string, { href: string; method?: string }>;

export function halLinks(entries: Array<[rel: string, href: string, method?: string, when?: boolean]>): Links {
  const links: Links = {};
  for (const [rel, href, method, when] of entries) {
    if (when === false) continue;
    links[rel] = method ? { href, method } : { href };
  }
  return links;
}

/** Path segment encoding for ids that may hold slashes (branch names). */
export function segment(value: string): string {
  return encodeURIComponent(value);
}
