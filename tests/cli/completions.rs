//! Tests of `aitls completions`.
