/**
 * The hooks the course's own classes define (members the platform calls by itself, like Value's `toString`):
 * read once from the reference with TypeScript's parser, and handed to each grading run, whose check of
 * values (trust.ts) accepts them on a class of the same name and nothing more.
 */
import { readFileSync } from "node:fs";
import path from "node:path";
import ts from "typescript";
import { courseFileNames, SOLUTIONS } from "../lib/starter";
import { isProtocol } from "./trust";

let cache: Record<string, string[]> | undefined;

/** For each class of the reference that has any, the names of its hooks ("Symbol(Symbol.iterator)" for a symbol). */
export function courseClassHooks(): Record<string, string[]> {
  if (cache) return cache;
  const hooks: Record<string, string[]> = {};
  for (const name of courseFileNames(SOLUTIONS)) {
    const file = ts.createSourceFile(name, readFileSync(path.join(SOLUTIONS, name), "utf8"), ts.ScriptTarget.Latest);
    for (const statement of file.statements) {
      if (!ts.isClassDeclaration(statement) || !statement.name) continue;
      const found = statement.members.map((m) => memberName(m.name, file)).filter((n) => n !== undefined);
      if (found.length > 0) hooks[statement.name.text] = found;
    }
  }
  cache = hooks;
  return hooks;
}

/** A member's name when it is a hook: a protocol name, or a well-known symbol (`[Symbol.iterator]`). */
function memberName(name: ts.PropertyName | undefined, file: ts.SourceFile): string | undefined {
  if (!name) return undefined;
  if (ts.isIdentifier(name) || ts.isStringLiteral(name)) return isProtocol(name.text) ? name.text : undefined;
  if (ts.isComputedPropertyName(name) && ts.isPropertyAccessExpression(name.expression)) {
    const symbol = name.expression.getText(file);
    return symbol.startsWith("Symbol.") ? `Symbol(${symbol})` : undefined;
  }
  return undefined;
}
