import type { ReactNode } from 'react';

/*
 * A small markdown subset — paragraphs, headings, lists, quotes, fenced code, `code`, **bold**,
 * *italic* and [links](https://…) — rendered as React elements. Nothing is ever parsed as HTML:
 * every character of the text reaches the page as text, so `<script>` shows as written.
 */

const SAFE_URL = /^(https?:\/\/|mailto:)/i;
const INLINE = /(`[^`]+`)|(\*\*[^*]+\*\*)|(\*[^*\s][^*]*\*|_[^_\s][^_]*_)|(\[[^\]]+\]\([^)\s]+\))/;

function inline(text: string, key = 0): ReactNode[] {
  const out: ReactNode[] = [];
  let rest = text;
  let k = key;
  for (let match = INLINE.exec(rest); match; match = INLINE.exec(rest)) {
    if (match.index > 0) out.push(rest.slice(0, match.index));
    const token = match[0];
    if (match[1])
      out.push(
        <code key={k++} className="rounded bg-muted px-1 font-mono text-[0.9em]">
          {token.slice(1, -1)}
        </code>,
      );
    else if (match[2]) out.push(<strong key={k++}>{inline(token.slice(2, -2), k * 100)}</strong>);
    else if (match[3]) out.push(<em key={k++}>{inline(token.slice(1, -1), k * 100)}</em>);
    else {
      const close = token.indexOf('](');
      const label = token.slice(1, close);
      const href = token.slice(close + 2, -1);
      out.push(
        SAFE_URL.test(href) ? (
          <a key={k++} href={href} className="underline" target="_blank" rel="noopener noreferrer nofollow">
            {label}
          </a>
        ) : (
          token
        ),
      );
    }
    rest = rest.slice(match.index + token.length);
  }
  if (rest) out.push(rest);
  return out;
}

type Block =
  | { kind: 'p' | 'quote'; lines: string[] }
  | { kind: 'h'; level: number; text: string }
  | { kind: 'ul' | 'ol'; items: string[] }
  | { kind: 'code'; text: string };

function blocks(source: string): Block[] {
  const lines = source.replace(/\r\n?/g, '\n').split('\n');
  const out: Block[] = [];
  for (let i = 0; i < lines.length; i++) {
    const line = lines[i]!;
    const last = out.at(-1);
    if (line.startsWith('```')) {
      const code: string[] = [];
      for (i++; i < lines.length && !lines[i]!.startsWith('```'); i++) code.push(lines[i]!);
      out.push({ kind: 'code', text: code.join('\n') });
      continue;
    }
    const heading = /^(#{1,3})\s+(.*)$/.exec(line);
    const bullet = /^\s*[-*+]\s+(.*)$/.exec(line);
    const numbered = /^\s*\d+[.)]\s+(.*)$/.exec(line);
    const quote = /^>\s?(.*)$/.exec(line);
    if (line.trim() === '') out.push({ kind: 'p', lines: [] });
    else if (heading) out.push({ kind: 'h', level: heading[1]!.length, text: heading[2]! });
    else if (bullet) last?.kind === 'ul' ? last.items.push(bullet[1]!) : out.push({ kind: 'ul', items: [bullet[1]!] });
    else if (numbered) last?.kind === 'ol' ? last.items.push(numbered[1]!) : out.push({ kind: 'ol', items: [numbered[1]!] });
    else if (quote) last?.kind === 'quote' ? last.lines.push(quote[1]!) : out.push({ kind: 'quote', lines: [quote[1]!] });
    else if (last?.kind === 'p' && last.lines.length > 0) last.lines.push(line);
    else out.push({ kind: 'p', lines: [line] });
  }
  return out.filter((b) => !(b.kind === 'p' && b.lines.length === 0));
}

const HEADING = ['text-base font-semibold', 'text-sm font-semibold', 'text-sm font-medium'];

export function Markdown({ source, className }: { source: string; className?: string }) {
  return (
    <div className={className ?? 'grid gap-2 text-sm'} data-markdown="">
      {blocks(source).map((block, i) => {
        // biome-ignore-start lint/suspicious/noArrayIndexKey: the blocks are parsed anew from a fixed text, never reordered.
        switch (block.kind) {
          case 'h': {
            const Tag = (['h3', 'h4', 'h5'] as const)[block.level - 1]!;
            return (
              <Tag key={i} className={HEADING[block.level - 1]}>
                {inline(block.text)}
              </Tag>
            );
          }
          case 'ul':
            return (
              <ul key={i} className="list-disc pl-5">
                {block.items.map((item, j) => (
                  <li key={j}>{inline(item)}</li>
                ))}
              </ul>
            );
          case 'ol':
            return (
              <ol key={i} className="list-decimal pl-5">
                {block.items.map((item, j) => (
                  <li key={j}>{inline(item)}</li>
                ))}
              </ol>
            );
          case 'code':
            return (
              <pre key={i} className="overflow-x-auto rounded bg-muted p-2 font-mono text-xs">
                {block.text}
              </pre>
            );
          case 'quote':
            return (
              <blockquote key={i} className="border-l-2 pl-3 text-muted-foreground">
                {inline(block.lines.join(' '))}
              </blockquote>
            );
          default:
            return (
              <p key={i} className="whitespace-pre-wrap break-words">
                {inline(block.lines.join('\n'))}
              </p>
            );
        }
        // biome-ignore-end lint/suspicious/noArrayIndexKey: -
      })}
    </div>
  );
}
