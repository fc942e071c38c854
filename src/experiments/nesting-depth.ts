import { CST, Lexer } from 'yaml';

/** Where a document first nests deeper than allowed (line and column from 1). */
export interface TooDeep {
  offset: number;
  line: number;
  column: number;
}

// Markers the lexer yields that are not text of the source (a scalar follows, a document starts, a
// flow collection ended early): they take no room in the source.
const MARKERS = new Set([CST.SCALAR, CST.DOCUMENT, CST.FLOW_END]);
// Tokens that start a node in block context; anchors, tags, `:` and spaces do not.
const NODE_STARTS = new Set(['scalar', 'single-quoted-scalar', 'double-quoted-scalar', 'alias', 'seq-item-ind', 'explicit-key-ind', 'flow-seq-start', 'flow-map-start', 'block-scalar-header']);

/**
 * The first place where `text` nests more than `maxDepth` levels, found from the YAML library's own
 * lexer (which is iterative, and knows quotes, comments and block scalars) before anything is
 * composed; undefined when it never does. It stops at the first token past the limit, so a hostile
 * document costs a few tokens.
 *
 * The depth is estimated, not exact, and errs on the deep side only by a level or so: flow
 * collections count one level each (`[[[`); block nodes one level per indentation column that is
 * still open on the way to them (`- - x` is three: two sequences and the scalar, `a:` / `  b: 1`
 * likewise). A block sequence written at its key's own column counts with its key, so the estimate
 * may be up to half the true block depth: with a limit of 64, far inside the ~800 levels that
 * exhaust the stack.
 */
export function tooDeepAt(text: string, maxDepth: number): TooDeep | undefined {
  const open: number[] = []; // columns of the block nodes on the current path
  let flowLevel = 0;
  let offset = 0;
  let line = 1;
  let lineStart = 0;
  let scalarNext = false;
  let afterBlockHeader = false;
  for (const token of new Lexer().lex(text)) {
    if (!scalarNext && MARKERS.has(token)) {
      scalarNext = token === CST.SCALAR;
      continue;
    }
    const type = scalarNext ? 'scalar' : CST.tokenType(token);
    scalarNext = false;
    const column = offset - lineStart;
    if (flowLevel === 0 && type !== null && NODE_STARTS.has(type) && !afterBlockHeader) {
      while (open.length > 0 && open.at(-1)! > column) open.pop();
      if (open.length === 0 || open.at(-1)! < column) open.push(column);
    }
    if (type === 'flow-seq-start' || type === 'flow-map-start') flowLevel++;
    else if ((type === 'flow-seq-end' || type === 'flow-map-end') && flowLevel > 0) flowLevel--;
    // The outermost flow collection is a block node already (its column is open).
    const depth = open.length + Math.max(0, flowLevel - 1);
    if (depth > maxDepth) return { offset, line, column: column + 1 };
    // A block scalar's text is one leaf however it is indented: its first line says nothing of the path.
    if (type !== 'space' && type !== 'comment' && type !== 'newline') afterBlockHeader = type === 'block-scalar-header';
    offset += token.length;
    for (let index = token.indexOf('\n'); index !== -1; index = token.indexOf('\n', index + 1)) {
      line++;
      lineStart = offset - token.length + index + 1;
    }
  }
  return undefined;
}
