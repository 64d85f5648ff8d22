/** Byte-level BPE (lesson 04): the GPT-2 byte symbols and pattern, training, encoding, GPT-2's vocabulary. */
export * from "./bpe-core";
export * from "./bpe-tokenizer";
export * from "./bpe-train";
export * from "./bpe-gpt2";
export * from "./bpe-text";
