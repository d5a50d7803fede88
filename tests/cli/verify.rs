//! Tests of `aitls verify`.
