//! Tests of `aitls ca`.
