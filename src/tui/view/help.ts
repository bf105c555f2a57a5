/**
 * The help overlay's text (upstream §5.2); the replay adds the Playback section. When one column does not fit the
 * pane, the sections are laid out in two columns.
 */

interface Section {
  title: string;
  rows: [string, string][];
}

export const HELP_TITLE = "Keybindings  (press ? or Esc to close)";

export function helpSections(mode: "live" | "replay"): Section[] {
  const sections: Section[] = [
    {
      title: "Navigation",
      rows: [
        ["j / k", "down / up one line (also ↓ / ↑)"],
        ["d / u", "down / up half a page"],
        ["G", "bottom, and follow"],
        ["gg", "top"],
        ["f", "toggle follow"],
      ],
    },
    {
      title: "Search",
      rows: [
        ["/pattern", "highlight matches (n / N: next / previous)"],
        ["/!pattern", "hide matching lines (stacks)"],
        ["/=pattern", "keep only matching lines (stacks)"],
        ["Esc", "clear the highlight, else drop the newest filter"],
      ],
    },
    {
      title: "Filter",
      rows: [
        ["l", "label filter key=value (empty or Esc clears)"],
        ["t", "jump to a time (14:32, 2026-03-05T14:32)"],
      ],
    },
    {
      title: "Bookmarks",
      rows: [
        ["m + a-z", "set a bookmark"],
        ["' + a-z", "jump to a bookmark"],
      ],
    },
    { title: "Export", rows: [["w", "write the filtered lines as a new capture"]] },
  ];
  if (mode === "replay") {
    sections.push({
      title: "Playback",
      rows: [
        ["Space", "pause / resume"],
        ["[ / ]", "slower / faster"],
      ],
    });
  }
  sections.push({
    title: "General",
    rows: [
      ["?", "toggle this help"],
      ["q / Ctrl+C", "quit"],
    ],
  });
  return sections;
}

function block(s: Section): string[] {
  return [s.title, ...s.rows.map(([k, d]) => `  ${k.padEnd(12)} ${d}`)];
}

function column(sections: Section[], gaps: boolean): string[] {
  const out: string[] = [];
  sections.forEach((s, i) => {
    if (i > 0 && gaps) out.push("");
    out.push(...block(s));
  });
  return out;
}

function twoColumns(sections: Section[], gaps: boolean): string[] {
  let best: [string[], string[]] | null = null;
  for (let split = 1; split < sections.length; split++) {
    const l = column(sections.slice(0, split), gaps);
    const r = column(sections.slice(split), gaps);
    if (best === null || Math.max(l.length, r.length) < Math.max(best[0].length, best[1].length)) best = [l, r];
  }
  const [left, right] = best!;
  const leftWidth = Math.max(...left.map((l) => [...l].length)) + 3;
  const out: string[] = [];
  for (let i = 0; i < Math.max(left.length, right.length); i++) out.push(((left[i] ?? "").padEnd(leftWidth) + (right[i] ?? "")).trimEnd());
  return out;
}

/** The overlay's lines for a pane of `width` × `height`: one column, else two, else two without blank lines. */
export function helpLines(mode: "live" | "replay", width = 80, height = 1000): string[] {
  const sections = helpSections(mode);
  const one = [HELP_TITLE, "", ...column(sections, true)];
  if (one.length <= height || width < 80) return one;
  const two = [HELP_TITLE, "", ...twoColumns(sections, true)];
  if (two.length <= height) return two;
  return [HELP_TITLE, ...twoColumns(sections, false)];
}

/** Section titles are shown bold. */
export function isHeading(line: string): boolean {
  return line !== "" && !line.startsWith(" ");
}
