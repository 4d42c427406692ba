// What libs/persistence hands out is camelCase and domain-shaped: no exported type, nor what a repository's method
// returns, carries a snake_case property (SQL aliases its columns, or the repository maps them once).
import { describe, expect, it } from '@jest/globals';
import { resolve } from 'node:path';
import ts from 'typescript';

const SNAKE = /^[a-z][a-z0-9]*(_[a-z0-9]+)+$/;
const INDEX = resolve('libs/persistence/src/index.ts');

/** The program tsconfig.json describes, rooted at the persistence index. */
function program(): ts.Program {
  const parsed = ts.getParsedCommandLineOfConfigFile(
    resolve('tsconfig.json'),
    {},
    {
      ...ts.sys,
      onUnRecoverableConfigFileDiagnostic: (diagnostic) => {
        throw new Error(ts.flattenDiagnosticMessageText(diagnostic.messageText, '\n'));
      },
    },
  );
  if (!parsed) throw new Error('tsconfig.json could not be read');
  return ts.createProgram({ rootNames: [INDEX], options: { ...parsed.options, noEmit: true } });
}

/**
 * The name a project type is declared under (interface, alias, class, enum), null for an anonymous one, and '' for
 * TypeScript's, Node's or a package's (not walked).
 */
function projectName(type: ts.Type): string | null {
  const symbol = type.aliasSymbol ?? type.getSymbol();
  const declaration = symbol?.declarations?.[0];
  if (!symbol || !declaration) return null;
  const file = declaration.getSourceFile().fileName;
  if (file.includes('/node_modules/') || !file.startsWith(resolve('.'))) return '';
  const named = ts.SymbolFlags.Interface | ts.SymbolFlags.TypeAlias | ts.SymbolFlags.Class | ts.SymbolFlags.Enum;
  return symbol.flags & named ? symbol.name : null;
}

/** Private, protected or #private: not part of what a class hands out. */
function isHidden(symbol: ts.Symbol): boolean {
  const flags = symbol.declarations?.reduce((all, d) => all | ts.getCombinedModifierFlags(d), 0) ?? 0;
  return (flags & (ts.ModifierFlags.Private | ts.ModifierFlags.Protected)) !== 0 || symbol.name.startsWith('#');
}

/** Every `Owner.path.property` with a snake_case name reachable from the persistence index's exports. */
function snakeProperties(): string[] {
  const loaded = program();
  const checker = loaded.getTypeChecker();
  const index = checker.getSymbolAtLocation(loaded.getSourceFile(INDEX)!);
  const found = new Set<string>();
  const seen = new Set<ts.Type>();

  const walk = (type: ts.Type, label: string, node: ts.Node): void => {
    if (type.isUnionOrIntersection()) return type.types.forEach((part) => walk(part, label, node));
    if (checker.isArrayType(type) || checker.isTupleType(type)) {
      return checker.getTypeArguments(type as ts.TypeReference).forEach((element) => walk(element, `${label}[]`, node));
    }
    if (!(type.flags & ts.TypeFlags.Object) || seen.has(type)) return;
    const name = projectName(type);
    if (type.getSymbol()?.name === 'Promise') {
      return checker.getTypeArguments(type as ts.TypeReference).forEach((value) => walk(value, label, node));
    }
    if (name === '') return;
    seen.add(type);
    const owner = name ?? label;
    for (const signature of type.getCallSignatures()) walk(signature.getReturnType(), `${owner}()`, node);
    for (const property of checker.getPropertiesOfType(type)) {
      if (isHidden(property)) continue;
      if (SNAKE.test(property.name)) found.add(`${owner}.${property.name}`);
      walk(checker.getTypeOfSymbolAtLocation(property, node), `${owner}.${property.name}`, node);
    }
  };

  for (const exported of checker.getExportsOfModule(index!)) {
    const symbol = exported.flags & ts.SymbolFlags.Alias ? checker.getAliasedSymbol(exported) : exported;
    const node = symbol.declarations![0];
    if (symbol.flags & (ts.SymbolFlags.Interface | ts.SymbolFlags.TypeAlias | ts.SymbolFlags.Class)) {
      walk(checker.getDeclaredTypeOfSymbol(symbol), symbol.name, node);
    }
    if (symbol.flags & ts.SymbolFlags.Function)
      walk(checker.getTypeOfSymbolAtLocation(symbol, node), symbol.name, node);
  }
  return [...found].sort();
}

describe('libs/persistence exports', () => {
  it('recognises snake_case names and only those', () => {
    expect(['owner_id', 'next_attempt_at', 'a1_b2'].every((name) => SNAKE.test(name))).toBe(true);
    expect(['ownerId', 'MIGRATION_LOCK_KEY', '_private', 'id', 'trailing_'].some((name) => SNAKE.test(name))).toBe(
      false,
    );
  });

  it('carry no snake_case property', () => {
    expect(snakeProperties()).toEqual([]);
  }, 120_000);
});
