//! Tests of `aitls docs`.
