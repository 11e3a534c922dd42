import { describe, expect, it } from 'vitest';
import { NameMatcher, nameSynonyms } from '../../src/content/names.ts';
import type { ProductName } from '../../src/content/schema.ts';

const NAMES: ProductName[] = [
  { current: 'Gemini Enterprise Agent Platform', short: 'Agent Platform', former: ['Vertex AI'] },
  { current: 'Agent Platform Pipelines', former: ['Vertex AI Pipelines'] },
  { current: 'Agent Runtime', former: ['Vertex AI Agent Engine', 'Agent Engine'] },
  { current: 'Vertex AI TensorBoard', unchanged: true },
];

describe('the names rule', () => {
  const matcher = new NameMatcher(NAMES);

  it('flags a former name used without the current one', () => {
    expect(matcher.formerOnly('Schedule it with Vertex AI Pipelines.')).toEqual([{ former: 'Vertex AI Pipelines', current: 'Agent Platform Pipelines' }]);
    expect(matcher.formerOnly('Deploy the agent to Agent Engine.')).toEqual([{ former: 'Agent Engine', current: 'Agent Runtime' }]);
  });

  it('accepts the current name, the "formerly" form, names that kept "Vertex" and words that merely contain a name', () => {
    expect(matcher.formerOnly('Agent Platform Pipelines (formerly Vertex AI Pipelines) runs it.')).toEqual([]);
    expect(matcher.formerOnly('Runs on Agent Platform; logs go to Vertex AI TensorBoard.')).toEqual([]);
    // The longest name wins: "Vertex AI Pipelines" is one product, not the platform plus a word.
    expect(matcher.formerOnly('Agent Platform Pipelines (formerly Vertex AI Pipelines) on Gemini Enterprise Agent Platform')).toEqual([]);
    expect(matcher.formerOnly('the vertex_ai module and VertexAIEndpoint class')).toEqual([]);
  });

  it('matches a name split across lines, as folded YAML and Markdown wrap it', () => {
    expect(matcher.formerOnly('a step of a Vertex AI\n    Pipelines run')).toEqual([{ former: 'Vertex AI Pipelines', current: 'Agent Platform Pipelines' }]);
  });

  it('stays linear on long input', () => {
    const text = `${'Vertex '.repeat(20_000)}AI`;
    expect(matcher.formerOnly(text)).toEqual([{ former: 'Vertex AI', current: 'Gemini Enterprise Agent Platform' }]);
  });

  it('gives the tutor one synonym group per renamed product', () => {
    expect(nameSynonyms(NAMES)).toEqual([
      ['Gemini Enterprise Agent Platform', 'Agent Platform', 'Vertex AI'],
      ['Agent Platform Pipelines', 'Vertex AI Pipelines'],
      ['Agent Runtime', 'Vertex AI Agent Engine', 'Agent Engine'],
    ]);
  });
});
