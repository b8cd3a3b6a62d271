//! Enums stored as a stable text code and shown with a Chinese and an English label. The
//! conversions are written once here, from a table of the variants, for every such enum.

/// `code`, `from_code`, `label_zh`, `label_en` and `from_code_or_label` of an enum declared
/// beside it, from one line per variant: `Variant = "code", "中文", "English";`.
macro_rules! code_labels {
    ($name:ident { $($variant:ident = $code:literal, $zh:literal, $en:literal;)+ }) => {
        impl $name {
            pub fn code(self) -> &'static str {
                match self { $($name::$variant => $code,)+ }
            }
            pub fn from_code(code: &str) -> Option<$name> {
                match code { $($code => Some($name::$variant),)+ _ => None }
            }
            pub fn label_zh(self) -> &'static str {
                match self { $($name::$variant => $zh,)+ }
            }
            pub fn label_en(self) -> &'static str {
                match self { $($name::$variant => $en,)+ }
            }
            /// The value written as its code or as its Chinese label, as people type it in a sheet.
            pub fn from_code_or_label(text: &str) -> Option<$name> {
                match text { $($code | $zh => Some($name::$variant),)+ _ => None }
            }
        }
    };
}

/// Declares such an enum (serialised as its snake-case name, `ALL` in order) with its
/// conversions, from one line per variant: `Variant = "code", "中文", "English";`.
macro_rules! code_enum {
    ($(#[$m:meta])* $name:ident { $($(#[$vm:meta])* $variant:ident = $code:literal, $zh:literal, $en:literal;)+ }) => {
        $(#[$m])*
        #[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, serde::Serialize, serde::Deserialize, schemars::JsonSchema)]
        #[serde(rename_all = "snake_case")]
        pub enum $name { $($(#[$vm])* $variant,)+ }

        impl $name {
            pub const ALL: &'static [$name] = &[$($name::$variant),+];
        }

        $crate::labelled::code_labels!($name { $($variant = $code, $zh, $en;)+ });
    };
}

pub(crate) use {code_enum, code_labels};
