/**
 * The core's `init()` options have no zod schema: they are a TypeScript interface. Its properties
 * (inherited ones included), types and doc comments are read with the TypeScript compiler from the
 * source, so this table cannot drift either.
 */
import ts from 'typescript';

export interface OptionDoc {
  name: string;
  type: string;
  optional: boolean;
  description: string;
}

/** Properties of the interface `name` exported from the TypeScript file at `path`, in declaration order. */
export function interfaceMembers(path: string, name: string): OptionDoc[] {
  const program = ts.createProgram([path], {
    strict: true,
    noEmit: true,
    target: ts.ScriptTarget.ES2022,
    module: ts.ModuleKind.ESNext,
    moduleResolution: ts.ModuleResolutionKind.Bundler,
    lib: ['lib.es2022.d.ts', 'lib.dom.d.ts'],
    types: [],
  });
  const checker = program.getTypeChecker();
  const source = program.getSourceFile(path);
  const declaration = source?.statements.find(
    (s): s is ts.InterfaceDeclaration => ts.isInterfaceDeclaration(s) && s.name.text === name,
  );
  if (!declaration) throw new Error(`docs: interface ${name} not found in ${path}; was it renamed?`);
  const type = checker.getTypeAtLocation(declaration);
  return checker.getPropertiesOfType(type).map((property) => {
    const description = ts.displayPartsToString(property.getDocumentationComment(checker)).trim();
    if (!description) {
      throw new Error(`docs: ${name}.${property.name} has no doc comment in the core's source; add one.`);
    }
    const node = property.valueDeclaration;
    const written =
      node && ts.isPropertySignature(node) && node.type
        ? node.type.getText().replace(/\s+/g, ' ')
        : checker.typeToString(checker.getTypeOfSymbol(property));
    return {
      name: property.name,
      type: written,
      optional: (property.flags & ts.SymbolFlags.Optional) !== 0,
      description,
    };
  });
}
