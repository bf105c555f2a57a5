/**
 * Label selectors exactly as apimachinery pkg/labels/selector.go parses and matches them: the lexer and the
 * recursive-descent parser are transcribed token for token, so odd inputs ("x in (a,,b)", "in=notin", "x=",
 * "!x,y") give the real result and malformed ones the real message, thrown as a 400 (the API server answers a bad
 * `labelSelector` query parameter with errors.NewBadRequest(<parse error>)). Also metav1.LabelSelectorAsSelector,
 * for the `{matchLabels, matchExpressions}` objects of Deployments, ReplicaSets and friends.
 */

import { badRequest } from "../patch/status-error.ts";
import { aggregate, fieldInvalid, isQualifiedName, isValidLabelValue } from "./qualified-name.ts";

export type Operator = "in" | "notin" | "=" | "==" | "!=" | "gt" | "lt" | "exists" | "!";

export interface Requirement {
  key: string;
  operator: Operator;
  /** Sorted and de-duplicated, as sets.String.List() hands them to NewRequirement. */
  values: string[];
}

export type Labels = Record<string, string> | null | undefined;

export interface LabelMatcher {
  (labels: Labels): boolean;
  /** The requirements, sorted by key as labels.Parse sorts them; empty for "everything". */
  readonly requirements: readonly Requirement[];
  /** Selector.String(): the canonical form the API server and kubectl print. */
  readonly selectorString: string;
}

const binaryOperators = ["in", "notin", "=", "==", "!=", "gt", "lt"];

/** Parses a `labelSelector` string. Throws a 400 KubeStatusError with labels.Parse's message. */
export function parseLabelSelector(text: string): LabelMatcher {
  return matcherOf(parseLabelRequirements(text));
}

/** labels.Parse without building the matcher: the requirements, sorted by key. */
export function parseLabelRequirements(text: string): Requirement[] {
  const requirements = new Parser(text).parse();
  return stableSortByKey(requirements);
}

export interface LabelSelectorRequirement {
  key: string;
  operator: string;
  values?: string[] | null;
}

export interface LabelSelectorObject {
  matchLabels?: Record<string, string> | null;
  matchExpressions?: LabelSelectorRequirement[] | null;
}

/**
 * metav1.LabelSelectorAsSelector: a missing selector matches nothing, an empty one everything; matchLabels are
 * Equals requirements, matchExpressions map In/NotIn/Exists/DoesNotExist. Invalid keys, values or operators throw a
 * 400 with the Go message (field paths "key" and "values[i]", as NewRequirement builds them without a root path).
 */
export function labelSelectorFromObject(selector: LabelSelectorObject | null | undefined): LabelMatcher {
  if (selector === null || selector === undefined) return nothing();
  const matchLabels = selector.matchLabels ?? {};
  const expressions = selector.matchExpressions ?? [];
  if (Object.keys(matchLabels).length + expressions.length === 0) return matcherOf([]);
  const requirements: Requirement[] = [];
  try {
    for (const [key, value] of Object.entries(matchLabels)) requirements.push(newRequirement(key, "=", [value]));
    for (const expr of expressions) {
      const op = ({ In: "in", NotIn: "notin", Exists: "exists", DoesNotExist: "!" } as Record<string, Operator>)[expr.operator];
      if (!op) throw new ParseError(`"${expr.operator}" is not a valid label selector operator`);
      requirements.push(newRequirement(expr.key, op, [...(expr.values ?? [])]));
    }
  } catch (e) {
    if (e instanceof ParseError) throw badRequest(e.message);
    throw e;
  }
  return matcherOf(stableSortByKey(requirements));
}

/** labels.SelectorFromSet (a Service's `spec.selector`): Equals for every pair; nil or empty matches everything. */
export function labelSelectorFromSet(set: Record<string, string> | null | undefined): LabelMatcher {
  const requirements = Object.entries(set ?? {}).map(([key, value]): Requirement => ({ key, operator: "=", values: [value] }));
  return matcherOf(stableSortByKey(requirements));
}

/** labels.Nothing(): matches no labels at all, not even empty ones. */
function nothing(): LabelMatcher {
  return Object.assign((_labels: Labels) => false, { requirements: [] as Requirement[], selectorString: "" });
}

function matcherOf(requirements: Requirement[]): LabelMatcher {
  const match = (labels: Labels) => requirements.every((r) => requirementMatches(r, labels ?? {}));
  return Object.assign(match, { requirements, selectorString: requirements.map(requirementString).join(",") });
}

function requirementMatches(r: Requirement, labels: Record<string, string>): boolean {
  const has = Object.prototype.hasOwnProperty.call(labels, r.key);
  const value = labels[r.key]!;
  switch (r.operator) {
    case "in":
    case "=":
    case "==":
      return has && r.values.includes(value);
    case "notin":
    case "!=":
      return !has || !r.values.includes(value);
    case "exists":
      return has;
    case "!":
      return !has;
    case "gt":
    case "lt": {
      if (!has || r.values.length !== 1) return false;
      const left = parseInt64(value);
      const right = parseInt64(r.values[0]!);
      if (left === undefined || right === undefined) return false;
      return r.operator === "gt" ? left > right : left < right;
    }
  }
}

/** strconv.ParseInt(s, 10, 64): optional sign, decimal digits, within int64. */
function parseInt64(text: string): bigint | undefined {
  if (!/^[+-]?\d+$/.test(text)) return undefined;
  const n = BigInt(text);
  return n >= -(2n ** 63n) && n < 2n ** 63n ? n : undefined;
}

function requirementString(r: Requirement): string {
  const values = r.values.length === 1 ? r.values[0]! : [...r.values].sort().join(",");
  switch (r.operator) {
    case "!":
      return "!" + r.key;
    case "exists":
      return r.key;
    case "in":
      return `${r.key} in (${values})`;
    case "notin":
      return `${r.key} notin (${values})`;
    case "gt":
      return `${r.key}>${values}`;
    case "lt":
      return `${r.key}<${values}`;
    default:
      return `${r.key}${r.operator}${values}`;
  }
}

/** sort.Sort(ByKey): only the key decides; keeping equal keys in input order is one of Go's valid outcomes. */
function stableSortByKey(requirements: Requirement[]): Requirement[] {
  return requirements
    .map((r, i) => [r, i] as const)
    .sort(([a, i], [b, j]) => (a.key < b.key ? -1 : a.key > b.key ? 1 : i - j))
    .map(([r]) => r);
}

/**
 * labels.NewRequirement with no root path: the key is checked again (path "key"), the values against the operator
 * and as label values (path "values[i][key]"). Errors are aggregated as ErrorList.ToAggregate does.
 */
function newRequirement(key: string, operator: Operator, values: string[]): Requirement {
  const errs: string[] = [];
  const keyErrs = isQualifiedName(key);
  if (keyErrs.length) errs.push(fieldInvalid("key", key, keyErrs.join("; ")));
  switch (operator) {
    case "in":
    case "notin":
      if (values.length === 0) errs.push(`values: Invalid value: ${goStringSlice(values)}: for 'in', 'notin' operators, values set can't be empty`);
      break;
    case "=":
    case "==":
    case "!=":
      if (values.length !== 1) errs.push(`values: Invalid value: ${goStringSlice(values)}: exact-match compatibility requires one single value`);
      break;
    case "exists":
    case "!":
      if (values.length !== 0) errs.push(`values: Invalid value: ${goStringSlice(values)}: values set must be empty for exists and does not exist`);
      break;
    case "gt":
    case "lt":
      if (values.length !== 1) errs.push(`values: Invalid value: ${goStringSlice(values)}: for 'Gt', 'Lt' operators, exactly one value is required`);
      values.forEach((v, i) => {
        if (parseInt64(v) === undefined) errs.push(fieldInvalid(`values[${i}]`, v, "for 'Gt', 'Lt' operators, the value must be an integer"));
      });
      break;
  }
  values.forEach((v, i) => {
    const valueErrs = isValidLabelValue(v);
    if (valueErrs.length) errs.push(fieldInvalid(`values[${i}][${key}]`, v, valueErrs.join("; ")));
  });
  if (errs.length) throw new ParseError(aggregate(errs));
  return { key, operator, values };
}

/**
 * %#v of a []string, which is how field.Invalid prints a slice value. An empty one is nil here: NewRequirement
 * gets `append([]string(nil), values...)` from LabelSelectorAsSelector.
 */
function goStringSlice(values: string[]): string {
  return values.length === 0 ? "[]string(nil)" : `[]string{${values.map((v) => JSON.stringify(v)).join(", ")}}`;
}

class ParseError extends Error {}

// ---- lexer (selector.go Lexer) ----

type Token =
  | "Error"
  | "EndOfString"
  | "ClosedPar"
  | "Comma"
  | "DoesNotExist"
  | "DoubleEquals"
  | "Equals"
  | "GreaterThan"
  | "Identifier"
  | "In"
  | "LessThan"
  | "NotEquals"
  | "NotIn"
  | "OpenPar";

const string2token: Record<string, Token> = {
  ")": "ClosedPar",
  ",": "Comma",
  "!": "DoesNotExist",
  "==": "DoubleEquals",
  "=": "Equals",
  ">": "GreaterThan",
  in: "In",
  "<": "LessThan",
  "!=": "NotEquals",
  notin: "NotIn",
  "(": "OpenPar",
};

const isWhitespace = (ch: string) => ch === " " || ch === "\t" || ch === "\r" || ch === "\n";
const isSpecialSymbol = (ch: string) => "=!(),><".includes(ch) && ch !== "";

class Lexer {
  private pos = 0;
  constructor(private readonly s: string) {}

  /** Like Go's read(): "" past the end. A NUL byte reads as the end too, as Go's zero byte does. */
  private read(): string {
    let ch = "";
    if (this.pos < this.s.length) {
      ch = this.s[this.pos]!;
      this.pos++;
    }
    return ch === "\0" ? "" : ch;
  }

  private unread() {
    this.pos--;
  }

  lex(): [Token, string] {
    let ch = this.read();
    while (isWhitespace(ch)) ch = this.read();
    if (ch === "") return ["EndOfString", ""];
    this.unread();
    return isSpecialSymbol(ch) ? this.scanSpecialSymbol() : this.scanIDOrKeyword();
  }

  private scanIDOrKeyword(): [Token, string] {
    let buffer = "";
    for (;;) {
      const ch = this.read();
      if (ch === "") break;
      if (isSpecialSymbol(ch) || isWhitespace(ch)) {
        this.unread();
        break;
      }
      buffer += ch;
    }
    const keyword = Object.prototype.hasOwnProperty.call(string2token, buffer) ? string2token[buffer] : undefined;
    return [keyword ?? "Identifier", buffer];
  }

  private scanSpecialSymbol(): [Token, string] {
    let last: [Token, string] | undefined;
    let buffer = "";
    for (;;) {
      const ch = this.read();
      if (ch === "") break;
      if (!isSpecialSymbol(ch)) {
        this.unread();
        break;
      }
      buffer += ch;
      const token = Object.prototype.hasOwnProperty.call(string2token, buffer) ? string2token[buffer] : undefined;
      if (token) last = [token, buffer];
      else if (last) {
        this.unread();
        break;
      }
    }
    return last ?? ["Error", `error expected: keyword found '${buffer}'`];
  }
}

// ---- parser (selector.go Parser) ----

type Context = "KeyAndOperator" | "Values";

class Parser {
  private items: [Token, string][] = [];
  private position = 0;

  constructor(text: string) {
    const lexer = new Lexer(text);
    for (;;) {
      const item = lexer.lex();
      this.items.push(item);
      if (item[0] === "EndOfString") break;
    }
  }

  /** In the Values context "in" and "notin" are plain identifiers ("notin=in" is a valid selector). */
  private lookahead(context: Context): [Token, string] {
    const [tok, lit] = this.items[this.position]!;
    return [context === "Values" && (tok === "In" || tok === "NotIn") ? "Identifier" : tok, lit];
  }

  private consume(context: Context): [Token, string] {
    const item = this.lookahead(context);
    this.position++;
    return item;
  }

  parse(): Requirement[] {
    const requirements: Requirement[] = [];
    for (;;) {
      const [tok, lit] = this.lookahead("Values");
      if (tok === "Identifier" || tok === "DoesNotExist") {
        try {
          requirements.push(this.parseRequirement());
        } catch (e) {
          if (e instanceof ParseError) throw badRequest(`unable to parse requirement: ${e.message}`);
          throw e;
        }
        const [t, l] = this.consume("Values");
        if (t === "EndOfString") return requirements;
        if (t === "Comma") {
          const [t2, l2] = this.lookahead("Values");
          if (t2 !== "Identifier" && t2 !== "DoesNotExist") throw badRequest(`found '${l2}', expected: identifier after ','`);
        } else {
          throw badRequest(`found '${l}', expected: ',' or 'end of string'`);
        }
      } else if (tok === "EndOfString") {
        return requirements;
      } else {
        throw badRequest(`found '${lit}', expected: !, identifier, or 'end of string'`);
      }
    }
  }

  private parseRequirement(): Requirement {
    const [key, inferred] = this.parseKeyAndInferOperator();
    if (inferred === "exists" || inferred === "!") return newRequirement(key, inferred, []);
    const operator = this.parseOperator();
    const values = operator === "in" || operator === "notin" ? this.parseValues() : this.parseExactValue();
    return newRequirement(key, operator, [...values].sort());
  }

  private parseKeyAndInferOperator(): [string, Operator | undefined] {
    let operator: Operator | undefined;
    let [tok, literal] = this.consume("Values");
    if (tok === "DoesNotExist") {
      operator = "!";
      [tok, literal] = this.consume("Values");
    }
    if (tok !== "Identifier") throw new ParseError(`found '${literal}', expected: identifier`);
    const keyErrs = isQualifiedName(literal);
    if (keyErrs.length) throw new ParseError(fieldInvalid("<nil>", literal, keyErrs.join("; ")));
    const [next] = this.lookahead("Values");
    if ((next === "EndOfString" || next === "Comma") && operator !== "!") operator = "exists";
    return [literal, operator];
  }

  private parseOperator(): Operator {
    const [tok, lit] = this.consume("KeyAndOperator");
    const op = ({ In: "in", Equals: "=", DoubleEquals: "==", GreaterThan: "gt", LessThan: "lt", NotIn: "notin", NotEquals: "!=" } as Partial<Record<Token, Operator>>)[tok];
    if (!op) throw new ParseError(`found '${lit}', expected: ${binaryOperators.join(", ")}`);
    return op;
  }

  private parseValues(): Set<string> {
    const [tok, lit] = this.consume("Values");
    if (tok !== "OpenPar") throw new ParseError(`found '${lit}' expected: '('`);
    const [next, nextLit] = this.lookahead("Values");
    if (next === "Identifier" || next === "Comma") {
      const values = this.parseIdentifiersList();
      if (this.consume("Values")[0] !== "ClosedPar") throw new ParseError(`found '${nextLit}', expected: ')'`);
      return values;
    }
    if (next === "ClosedPar") {
      this.consume("Values");
      return new Set([""]);
    }
    throw new ParseError(`found '${nextLit}', expected: ',', ')' or identifier`);
  }

  private parseIdentifiersList(): Set<string> {
    const values = new Set<string>();
    for (;;) {
      const [tok, lit] = this.consume("Values");
      if (tok === "Identifier") {
        values.add(lit);
        const [tok2, lit2] = this.lookahead("Values");
        if (tok2 === "Comma") continue;
        if (tok2 === "ClosedPar") return values;
        throw new ParseError(`found '${lit2}', expected: ',' or ')'`);
      } else if (tok === "Comma") {
        if (values.size === 0) values.add(""); // "(,"
        const [tok2] = this.lookahead("Values");
        if (tok2 === "ClosedPar") {
          values.add(""); // ",)"
          return values;
        }
        if (tok2 === "Comma") {
          this.consume("Values");
          values.add(""); // ",,"
        }
      } else {
        throw new ParseError(`found '${lit}', expected: ',', or identifier`);
      }
    }
  }

  private parseExactValue(): Set<string> {
    const [tok] = this.lookahead("Values");
    if (tok === "EndOfString" || tok === "Comma") return new Set([""]);
    const [tok2, lit] = this.consume("Values");
    if (tok2 === "Identifier") return new Set([lit]);
    throw new ParseError(`found '${lit}', expected: identifier`);
  }
}
