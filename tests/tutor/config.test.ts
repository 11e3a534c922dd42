import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { ConfigError } from '../../src/config.ts';
import { describeTutorConfig, loadTutorConfig, OPENAI_BASE_URL } from '../../src/tutor/config.ts';

describe('tutor configuration', () => {
  it('is offline with nothing set: no LLM, no embeddings, 30 questions per hour', () => {
    const config = loadTutorConfig({});
    expect(config).toEqual({ llm: undefined, embeddings: undefined, extraDirs: [], askPerUserPerHour: 30 });
  });

  it('uses OpenAI for chat and embeddings with only OPENAI_API_KEY', () => {
    const config = loadTutorConfig({ OPENAI_API_KEY: 'sk-test' });
    expect(config.llm).toMatchObject({ baseUrl: OPENAI_BASE_URL, model: 'gpt-4o-mini', apiKey: 'sk-test' });
    expect(config.embeddings).toMatchObject({ baseUrl: OPENAI_BASE_URL, model: 'text-embedding-3-small', apiKey: 'sk-test' });
  });

  it('points chat at a local server and keeps embeddings off unless they are configured', () => {
    const config = loadTutorConfig({ LLM_BASE_URL: 'http://127.0.0.1:11434/v1/', LLM_MODEL: 'llama3.1:8b', LLM_TIMEOUT_MS: '5000' });
    expect(config.llm).toEqual({ baseUrl: 'http://127.0.0.1:11434/v1', model: 'llama3.1:8b', apiKey: undefined, timeoutMs: 5000 });
    expect(config.embeddings).toBeUndefined();
  });

  it('takes embeddings from their own endpoint and never sends the chat key to another server', () => {
    const config = loadTutorConfig({
      OPENAI_API_KEY: 'sk-chat',
      EMBEDDINGS_BASE_URL: 'http://127.0.0.1:8081/v1',
      EMBEDDINGS_MODEL: 'nomic-embed-text',
    });
    expect(config.embeddings).toMatchObject({ baseUrl: 'http://127.0.0.1:8081/v1', model: 'nomic-embed-text', apiKey: undefined });
    const withKey = loadTutorConfig({ EMBEDDINGS_BASE_URL: 'http://127.0.0.1:8081/v1', EMBEDDINGS_MODEL: 'e5', EMBEDDINGS_API_KEY: 'emb-key' });
    expect(withKey.embeddings?.apiKey).toBe('emb-key');
  });

  it('reads extra knowledge folders and the per-user limit', () => {
    const config = loadTutorConfig({ KNOWLEDGE_DIRS: 'group-notes, /srv/more', ASK_PER_USER_PER_HOUR: '0' });
    expect(config.extraDirs).toEqual([path.resolve('group-notes'), '/srv/more']);
    expect(config.askPerUserPerHour).toBe(0);
  });

  it('names the variable that is wrong', () => {
    expect(() => loadTutorConfig({ LLM_BASE_URL: 'not a url' })).toThrow(ConfigError);
    expect(() => loadTutorConfig({ LLM_BASE_URL: 'not a url' })).toThrow(/LLM_BASE_URL/);
    expect(() => loadTutorConfig({ LLM_BASE_URL: 'http://127.0.0.1:8080/v1' })).toThrow(/LLM_MODEL/);
    expect(() => loadTutorConfig({ EMBEDDINGS_BASE_URL: 'http://127.0.0.1:8080/v1' })).toThrow(/EMBEDDINGS_MODEL/);
    expect(() => loadTutorConfig({ ASK_PER_USER_PER_HOUR: 'lots' })).toThrow(/ASK_PER_USER_PER_HOUR/);
    expect(() => loadTutorConfig({ LLM_TIMEOUT_MS: '-5' })).toThrow(/LLM_TIMEOUT_MS/);
  });

  it('never shows a key when described for the logs', () => {
    const described = JSON.stringify(describeTutorConfig(loadTutorConfig({ OPENAI_API_KEY: 'sk-very-secret', EMBEDDINGS_API_KEY: 'emb-very-secret' })));
    expect(described).not.toContain('very-secret');
    expect(described).toContain('"key":"set"');
    const inUrl = JSON.stringify(describeTutorConfig(loadTutorConfig({ LLM_BASE_URL: 'https://user:hunter2@llm.example/v1', LLM_MODEL: 'm' })));
    expect(inUrl).not.toContain('hunter2');
    expect(inUrl).toContain('https://llm.example/v1');
  });
});
