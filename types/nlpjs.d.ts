// NLP.js ships no type declarations; the benchmark uses it only through these calls.
declare module '@nlpjs/core' {
  export function containerBootstrap(): Promise<{
    use(plugin: unknown): void;
    get(name: 'nlp'): {
      settings: Record<string, unknown>;
      addLanguage(locale: string): void;
      addDocument(locale: string, utterance: string, intent: string): void;
      train(): Promise<void>;
      process(locale: string, utterance: string): Promise<{ intent: string; score: number }>;
    };
    registerConfiguration(tag: string, configuration: Record<string, unknown>, override?: boolean): void;
  }>;
}
declare module '@nlpjs/nlp' {
  export const Nlp: unknown;
}
declare module '@nlpjs/lang-en-min' {
  export const LangEn: unknown;
}
