//! Paths into a document, and the glob patterns that policy rules use.

use serde::{Deserialize, Serialize};

/// One step into a document: a map key or a list position.
#[derive(Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(untagged)]
pub enum Seg {
    Key(String),
    Index(usize),
}

/// A path from the document root, e.g. `victims/v1/identity/full_name`.
#[derive(Debug, Clone, Default, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(transparent)]
pub struct DocPath(pub Vec<Seg>);

impl DocPath {
    pub fn root() -> Self {
        DocPath(Vec::new())
    }

    /// A path of map keys only.
    pub fn keys<I, S>(keys: I) -> Self
    where
        I: IntoIterator<Item = S>,
        S: Into<String>,
    {
        DocPath(keys.into_iter().map(|k| Seg::Key(k.into())).collect())
    }

    pub fn child(&self, seg: Seg) -> Self {
        let mut v = self.0.clone();
        v.push(seg);
        DocPath(v)
    }

    pub fn key(&self, key: impl Into<String>) -> Self {
        self.child(Seg::Key(key.into()))
    }

    pub fn segments(&self) -> &[Seg] {
        &self.0
    }

    pub fn len(&self) -> usize {
        self.0.len()
    }

    pub fn is_empty(&self) -> bool {
        self.0.is_empty()
    }

    /// Whether this path matches a glob pattern: `*` matches one segment,
    /// `**` any number of segments (including none), anything else itself.
    pub fn matches(&self, pattern: &str) -> bool {
        glob(pattern, &self.0)
    }

    /// Whether the path names a field that identifies a person.
    pub fn is_sensitive(&self) -> bool {
        crate::case::SENSITIVE_PATHS.iter().any(|p| self.matches(p))
    }
}

/// Matches `path` against the segments of `pattern` (`/`-separated; the
/// empty pattern has none), reading the pattern in place: the policy
/// matches every write of every incoming change against its rules, so this
/// allocates nothing.
fn glob(pattern: &str, path: &[Seg]) -> bool {
    if pattern.is_empty() {
        return path.is_empty();
    }
    let (p, rest) = pattern.split_once('/').unwrap_or((pattern, ""));
    if p == "**" {
        return (0..=path.len()).any(|skip| glob(rest, &path[skip..]));
    }
    match path.split_first() {
        None => false,
        Some((seg, tail)) => {
            let ok = match seg {
                Seg::Key(k) => p == "*" || p == k.as_str(),
                Seg::Index(_) => p == "*",
            };
            ok && glob(rest, tail)
        }
    }
}

impl std::fmt::Display for DocPath {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        for (i, seg) in self.0.iter().enumerate() {
            if i > 0 {
                f.write_str("/")?;
            }
            match seg {
                Seg::Key(k) => f.write_str(k)?,
                Seg::Index(n) => write!(f, "{n}")?,
            }
        }
        Ok(())
    }
}

impl std::str::FromStr for DocPath {
    type Err = std::convert::Infallible;
    /// Parses `a/b/c`; every segment is taken as a map key.
    fn from_str(s: &str) -> Result<Self, Self::Err> {
        Ok(DocPath::keys(s.split('/').filter(|p| !p.is_empty())))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn glob_table() {
        let p = |s: &str| s.parse::<DocPath>().unwrap();
        let rows: &[(&str, &str, bool)] = &[
            (
                "victims/v1/identity/full_name",
                "victims/*/identity/**",
                true,
            ),
            ("victims/v1/identity", "victims/*/identity/**", true),
            ("victims/v1/pseudonym", "victims/*/identity/**", false),
            ("victims", "victims/**", true),
            ("victims", "*", true),
            ("victims/v1", "*", false),
            ("review/r1/text", "review/**", true),
            ("reviewers", "review/**", false),
            ("", "**", true),
            ("a/b/c/d", "a/**/d", true),
            ("a/b/c/e", "a/**/d", false),
        ];
        for (path, pattern, expect) in rows {
            assert_eq!(p(path).matches(pattern), *expect, "{path} ~ {pattern}");
        }
        let with_index = DocPath(vec![
            Seg::Key("evidence".into()),
            Seg::Key("e1".into()),
            Seg::Key("custody".into()),
            Seg::Index(3),
        ]);
        assert!(with_index.matches("evidence/*/custody/*"));
        assert!(!with_index.matches("evidence/*/custody/3"));
        assert_eq!(with_index.to_string(), "evidence/e1/custody/3");
    }

    #[test]
    fn sensitive_fields() {
        assert!(
            "witnesses/w/identity/contact"
                .parse::<DocPath>()
                .unwrap()
                .is_sensitive()
        );
        assert!(
            !"witnesses/w/relation"
                .parse::<DocPath>()
                .unwrap()
                .is_sensitive()
        );
    }
}
