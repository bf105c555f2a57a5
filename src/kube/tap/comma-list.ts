/**
 * Comma-list annotation values (`logtap.dev/tapped`, the mesh port lists), edited so that adding an item and
 * removing it again gives back the original text byte for byte: items are appended as `,item` to the text as it
 * stands, and removal drops only that one item and re-joins the rest untouched (spaces and odd commas included).
 */

/** The items, trimmed, empties dropped: `"4567, 4568"` → `["4567", "4568"]`. */
export function listItems(value: string | undefined | null): string[] {
  if (value === undefined || value === null) return [];
  return value
    .split(",")
    .map((s) => s.trim())
    .filter((s) => s !== "");
}

export function hasItem(value: string | undefined | null, item: string): boolean {
  return listItems(value).includes(item);
}

/** `value` with `item` appended (`item` alone when the value is absent or empty). */
export function appendItem(value: string | undefined | null, item: string): string {
  return value === undefined || value === null || value === "" ? item : `${value},${item}`;
}

/**
 * `value` without its last occurrence of `item` (the one an append would have made), or null when `item` is not
 * in it. The other pieces keep their exact text.
 */
export function removeItem(value: string, item: string): string | null {
  const parts = value.split(",");
  for (let i = parts.length - 1; i >= 0; i--) {
    if (parts[i]!.trim() === item) {
      parts.splice(i, 1);
      return parts.join(",");
    }
  }
  return null;
}
