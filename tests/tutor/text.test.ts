import { describe, expect, it } from 'vitest';
import { chunkSections, sectionOfFile } from '../../src/tutor/chunker.ts';
import { extractiveAnswer, splitUnits } from '../../src/tutor/extractive.ts';
import { sourceLine, trimToLength } from '../../src/tutor/format.ts';
import { Glossary } from '../../src/tutor/glossary.ts';
import { decodeText, htmlToMarkdown, markdownSections, parseSource, UnreadableSourceError } from '../../src/tutor/parse.ts';
import { stem } from '../../src/tutor/stemmer.ts';
import { indexTokens, queryTermsOf, termsOf } from '../../src/tutor/text.ts';
import { cleanLlmText } from '../../src/tutor/tutor.ts';
import type { Hit } from '../../src/tutor/types.ts';

describe('stemming and terms', () => {
  it('brings word forms together (Porter)', () => {
    const pairs: [string, string][] = [
      ['predictions', 'predict'], ['predicting', 'predict'], ['caresses', 'caress'], ['ponies', 'poni'], ['relational', 'relat'],
      ['hopping', 'hop'], ['filing', 'file'], ['generalization', 'gener'], ['pipelines', 'pipelin'], ['adoption', 'adopt'],
    ];
    for (const [word, expected] of pairs) expect(stem(word), word).toBe(expected);
    expect(stem('p95')).toBe('p95');
  });

  it('drops stopwords, and question framing only from queries', () => {
    expect(queryTermsOf('When should I use batch prediction instead of online prediction?')).toEqual(['batch', 'predict', 'onlin']);
    expect(termsOf('Use batch prediction')).toEqual(['us', 'batch', 'predict']);
  });

  it('keeps SQL functions and variables whole, in the index beside their words and in queries alone', () => {
    expect(indexTokens('Call `ML.EXPLAIN_PREDICT` on AIP_PREDICT_ROUTE')).toEqual(['Call', 'ML', 'EXPLAIN', 'PREDICT', 'on', 'AIP', 'PREDICT', 'ROUTE', 'ML.EXPLAIN_PREDICT', 'AIP_PREDICT_ROUTE']);
    expect(termsOf('ML.EXPLAIN_PREDICT predictions')).toEqual(['ml', 'explain', 'predict', 'ml.explain_predict']);
    expect(queryTermsOf('What does ML.EXPLAIN_PREDICT return?')).toEqual(['ml.explain_predict', 'return']);
    expect(queryTermsOf('explain predict, e.g. in SQL')).toEqual(['predict', 'sql']);
  });

  it('drops what the tokenizer leaves of contractions and possessives', () => {
    expect(queryTermsOf("What's the team's cost? Don't guess, we'll see")).toEqual(['team', 'cost', 'guess', 'see']);
  });
});

describe('glossary', () => {
  const glossary = new Glossary([
    ['BQML', 'BigQuery ML'],
    ['CMLE', 'Cloud ML Engine', 'AI Platform'],
    ['AI Platform', 'Vertex AI'],
  ]);

  it('finds acronyms and their expansions as one concept', () => {
    const [expansion] = glossary.expand('What can BQML forecast?');
    expect(expansion).toMatchObject({ matched: 'BQML', alternatives: ['BigQuery ML'] });
    expect(glossary.conceptsIn('Train it in BigQuery ML with SQL.')).toEqual([expansion!.concept]);
    expect(glossary.conceptsIn('Nothing relevant here.')).toEqual([]);
  });

  it('joins entries that share a phrase, so a legacy name reaches the current one', () => {
    const [expansion] = glossary.expand('Is CMLE still a thing?');
    expect(expansion!.alternatives).toEqual(['Cloud ML Engine', 'AI Platform', 'Vertex AI']);
    expect(glossary.conceptsIn('Vertex AI endpoints')).toEqual([expansion!.concept]);
  });
});

describe('parsing sources', () => {
  it('splits Markdown on headings with heading paths and unique GitHub anchors', () => {
    const sections = markdownSections('---\ntitle: x\n---\nIntro.\n# Guide\n\nTop text.\n\n## Setup\n\nA.\n\n### Setup\n\nB.\n\n## Setup\n\nC.\n', 'guide');
    expect(sections.map((s) => [s.headings.join(' › '), s.anchor, s.anchors.join(','), s.text])).toEqual([
      ['guide', '', '', 'Intro.'],
      ['Guide', 'guide', 'guide', 'Top text.'],
      ['Guide › Setup', 'setup', 'guide,setup', 'A.'],
      ['Guide › Setup › Setup', 'setup-1', 'guide,setup,setup-1', 'B.'],
      ['Guide › Setup', 'setup-2', 'guide,setup-2', 'C.'],
    ]);
  });

  it('turns HTML into headed sections and decodes entities', () => {
    const { markdown, title } = htmlToMarkdown(
      '<html><head><title>Group &amp; notes</title><style>p{}</style></head><body><h1>Serving</h1><p>Use <b>batch</b> &lt;nightly&gt;.</p><script>alert(1)</script><ul><li>One</li><li>Two</li></ul></body></html>',
    );
    expect(title).toBe('Group & notes');
    expect(markdown).toBe('# Serving\n\nUse batch <nightly>.\n\n- One\n- Two');
    expect(parseSource('html', 'x/page.html', '<h2>Only</h2><p>Text here.</p>')[0]).toMatchObject({ headings: ['Only'], anchor: 'only', text: 'Text here.' });
  });

  it('refuses binary and non-UTF-8 files with a reason', () => {
    expect(() => decodeText(Buffer.from([0x50, 0x4b, 0x03, 0x04, 0x00, 0x00]))).toThrow(UnreadableSourceError);
    expect(() => decodeText(Buffer.from([0x68, 0x69, 0xff, 0xfe, 0x21]))).toThrow(/not valid UTF-8/);
    expect(() => parseSource('html', 'x/empty.html', 'just words, no markup')).toThrow(/no HTML markup/);
    expect(decodeText(Buffer.from('\uFEFFline\r\nnext'))).toBe('line\nnext');
  });
});

describe('chunking', () => {
  it('keeps chunks inside one section and carries the heading path', async () => {
    const long = Array.from({ length: 40 }, (_, i) => `Sentence number ${i} talks about batch prediction jobs and their cost.`).join(' ');
    const sections = markdownSections(`# T\n\n## Big\n\n${long}\n\n## Small\n\nShort text.\n`, 't');
    const chunks = await chunkSections('notes/s4-x/scale.md', sections, { chunkSize: 600, chunkOverlap: 80 });
    const big = chunks.filter((c) => c.anchor === 'big');
    expect(big.length).toBeGreaterThan(3);
    expect(big.every((c) => c.text.length <= 600 && c.headingPath === 'T › Big' && c.section === 4)).toBe(true);
    expect(chunks.at(-1)).toMatchObject({ anchor: 'small', text: 'Short text.', anchors: ['t', 'small'] });
    expect(sectionOfFile('extra/notes.md')).toBeUndefined();
    expect(sectionOfFile('notes/s12-monitoring/models.md')).toBe(12);
  });
});

describe('extractive answers', () => {
  it('reads wrapped list items and paragraphs as whole sentences, skipping code and table headers', () => {
    const units = splitUnits('- First item that is wrapped\n  onto a second line.\n- Second item stands alone here.\n\n```sql\nSELECT 1;\n```\n\n| Need | Pick |\n|---|---|\n| Nightly scores | Batch prediction |\n\nA paragraph sentence one. Another sentence two follows.');
    expect(units).toEqual([
      'First item that is wrapped onto a second line.',
      'Second item stands alone here.',
      'Nightly scores: Batch prediction.',
      'A paragraph sentence one.',
      'Another sentence two follows.',
    ]);
  });

  it('quotes the most relevant whole sentences with [n], in reading order, within the budget', () => {
    const hit = (text: string, heading: string, n: number): Hit => ({
      index: n,
      score: 1,
      chunk: { file: 'notes/x.md', anchor: heading.toLowerCase(), headingPath: `X › ${heading}`, anchors: ['x'], text },
    });
    const hits = [
      hit('tail of a cut sentence about batch. Batch prediction scores a bounded dataset as a job. It writes results to BigQuery. Endpoints are unrelated here.', 'Batch', 0),
      hit('Online prediction serves each request from an endpoint. Batch prediction needs no endpoint at all.', 'Online', 1),
    ];
    const idf = (t: string) => ({ batch: 3, predict: 1 })[t] ?? 0.5;
    const { text, cited } = extractiveAnswer(hits, { terms: ['batch', 'predict'], expansionTerms: [], idf, maxChars: 400 });
    expect(text).toBe('**Batch:** Batch prediction scores a bounded dataset as a job. [1]\n\n**Online:** Batch prediction needs no endpoint at all. [2]');
    expect(cited).toEqual([1, 2]);
    expect(extractiveAnswer(hits, { terms: ['batch', 'predict'], expansionTerms: [], idf, maxChars: 80 }).cited).toEqual([1]);
  });
});

describe('formatting', () => {
  it('trims at a sentence end and writes compact source lines', () => {
    expect(trimToLength('One sentence here. [1] Two sentence there. [2]', 30)).toBe('One sentence here. [1]');
    const line = sourceLine({ n: 2, source: 'notes/a.md#b', file: 'notes/a.md', anchor: 'b', heading: 'Title › Section › Sub', text: '', score: 1 });
    expect(line).toBe('[2] notes/a.md › Section › Sub');
  });

  it('keeps only citations that exist and plain text from an LLM answer', () => {
    expect(cleanLlmText('## Answer\nUse **batch** [1, 2] not `online` [7]. See [docs](http://x).', 3)).toBe('Answer\nUse **batch** [1][2] not online. See docs.');
  });
});
