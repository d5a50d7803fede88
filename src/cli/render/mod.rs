//! One renderer per report: pure functions from a library report to the text a person
//! reads. They take a [`Style`] (colour or not) and return a `String`; printing it, and
//! the JSON form, are [`super::Output`]'s job.

pub mod env;
pub mod fixtures;
pub mod inspect;
pub mod outcome;
pub mod probe;
pub mod sync;
pub mod trust;
pub mod verify;

/// Whether text is painted with ANSI colours (a terminal, and no `NO_COLOR`).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct Style {
    /// Paint with ANSI colours.
    pub color: bool,
}

impl Style {
    /// Plain text, as in pipes and tests.
    #[cfg(test)]
    pub const PLAIN: Style = Style { color: false };

    /// `text` in the SGR colour `code` (`32` green, `1;31` bold red …) when painting.
    pub fn paint(self, code: &str, text: &str) -> String {
        if self.color {
            format!("\x1b[{code}m{text}\x1b[0m")
        } else {
            text.to_owned()
        }
    }
}
