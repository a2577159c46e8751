//! The cost of a GraphQL document, bounded before any validation or execution: a request
//! without a token must not buy seconds of CPU with a kilobyte of fragments. The document is
//! lexed and counted first, then parsed, then its operations are measured with every fragment
//! expanded (memoised, so the measuring itself stays linear), and only a document within every
//! bound goes on to the GraphQL engine. It also answers whether the document asks for
//! introspection, from the parsed fields rather than from its text.

use async_graphql::parser::types::{ExecutableDocument, Selection, SelectionSet};
use std::collections::HashMap;

/// The bounds of one document.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct DocumentLimits {
    /// Lexical tokens (names, punctuators, values), comments excluded.
    pub tokens: usize,
    pub fragments: usize,
    /// Fragment spreads written in the document.
    pub spreads: usize,
    pub aliases: usize,
    pub directives: usize,
    /// Fields selected by one operation with every fragment expanded.
    pub expanded_fields: u64,
    /// Nesting of one operation with every fragment expanded.
    pub expanded_depth: usize,
}

impl Default for DocumentLimits {
    fn default() -> Self {
        Self {
            tokens: 10_000,
            fragments: 100,
            spreads: 500,
            aliases: 200,
            directives: 200,
            expanded_fields: 5_000,
            expanded_depth: 12,
        }
    }
}

/// How deep an operation that reaches introspection may nest: GraphiQL 4's introspection query
/// goes 13 levels deep with its fragments expanded.
pub const INTROSPECTION_DEPTH: usize = 16;

/// Which bound a document broke, with its measure.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum BudgetError {
    #[error("the document has more than {limit} {what}")]
    Over { what: &'static str, limit: u64 },
    #[error("fragment {0} spreads itself")]
    Cycle(String),
    #[error("fragment {0} is not defined")]
    UnknownFragment(String),
    #[error("the document does not parse: {0}")]
    Syntax(String),
}

/// What the measure found out about an accepted document.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Measure {
    /// A `__schema` or `__type` field is selected (`__typename` is not introspection).
    pub introspection: bool,
    pub expanded_fields: u64,
    /// The document holds a mutation.
    pub mutation: bool,
}

/// Counts lexical tokens, skipping comments and counting a string as one token. Stops counting
/// past `limit`, so a huge document costs no more than the limit.
pub fn count_tokens(text: &str, limit: usize) -> usize {
    let b = text.as_bytes();
    let (mut i, mut n) = (0, 0);
    while i < b.len() && n <= limit {
        match b[i] {
            b' ' | b'\t' | b'\n' | b'\r' | b',' => i += 1,
            b'#' => {
                // A comment ends at a line feed or a carriage return, as in the grammar.
                while i < b.len() && b[i] != b'\n' && b[i] != b'\r' {
                    i += 1;
                }
            }
            b'"' => {
                n += 1;
                if b[i..].starts_with(b"\"\"\"") {
                    i += 3;
                    while i < b.len() && !b[i..].starts_with(b"\"\"\"") {
                        i += if b[i] == b'\\' { 2 } else { 1 };
                    }
                    i += 3;
                } else {
                    i += 1;
                    while i < b.len() && b[i] != b'"' && b[i] != b'\n' {
                        i += if b[i] == b'\\' { 2 } else { 1 };
                    }
                    i += 1;
                }
            }
            c if c.is_ascii_alphanumeric() || c == b'_' || c == b'-' => {
                n += 1;
                while i < b.len()
                    && (b[i].is_ascii_alphanumeric() || matches!(b[i], b'_' | b'.' | b'-' | b'+'))
                {
                    i += 1;
                }
            }
            b'.' if b[i..].starts_with(b"...") => {
                n += 1;
                i += 3;
            }
            _ => {
                n += 1;
                i += 1;
            }
        }
    }
    n
}

/// What one selection set costs, fragments expanded, and whether it reaches introspection.
#[derive(Debug, Clone, Copy, Default)]
struct Cost {
    fields: u64,
    depth: usize,
    introspection: bool,
}

impl Cost {
    fn add(self, other: Cost) -> Cost {
        Cost {
            fields: self.fields.saturating_add(other.fields),
            depth: self.depth.max(other.depth),
            introspection: self.introspection || other.introspection,
        }
    }
}

/// Counts of what is written in the document, fragments not expanded.
#[derive(Debug, Default)]
struct Written {
    spreads: usize,
    aliases: usize,
    directives: usize,
}

struct Walker<'a> {
    doc: &'a ExecutableDocument,
    memo: HashMap<&'a str, Cost>,
    visiting: Vec<&'a str>,
    written: Written,
}

impl<'a> Walker<'a> {
    fn fragment(&mut self, name: &'a str) -> Result<Cost, BudgetError> {
        if let Some(c) = self.memo.get(name) {
            return Ok(*c);
        }
        if self.visiting.contains(&name) {
            return Err(BudgetError::Cycle(name.to_owned()));
        }
        let def = self
            .doc
            .fragments
            .iter()
            .find(|(n, _)| n.as_str() == name)
            .map(|(_, d)| d)
            .ok_or_else(|| BudgetError::UnknownFragment(name.to_owned()))?;
        self.visiting.push(name);
        let cost = self.set(&def.node.selection_set.node, false)?;
        self.visiting.pop();
        self.memo.insert(name, cost);
        Ok(cost)
    }

    /// The cost of a selection set; `count` says whether what is written in it is counted
    /// (a fragment's body is counted once, where it is defined).
    fn set(&mut self, set: &'a SelectionSet, count: bool) -> Result<Cost, BudgetError> {
        let mut total = Cost::default();
        for item in &set.items {
            let cost = match &item.node {
                Selection::Field(f) => {
                    let f = &f.node;
                    if count {
                        self.written.aliases += usize::from(f.alias.is_some());
                        self.written.directives += f.directives.len();
                    }
                    let name = f.name.node.as_str();
                    let inner = self.set(&f.selection_set.node, count)?;
                    Cost {
                        fields: inner.fields.saturating_add(1),
                        depth: inner.depth + 1,
                        introspection: inner.introspection
                            || name == "__schema"
                            || name == "__type",
                    }
                }
                Selection::FragmentSpread(s) => {
                    if count {
                        self.written.spreads += 1;
                        self.written.directives += s.node.directives.len();
                    }
                    self.fragment(s.node.fragment_name.node.as_str())?
                }
                Selection::InlineFragment(i) => {
                    if count {
                        self.written.directives += i.node.directives.len();
                    }
                    self.set(&i.node.selection_set.node, count)?
                }
            };
            total = total.add(cost);
        }
        Ok(total)
    }
}

/// Measures a document against `limits`, before the GraphQL engine sees it.
pub fn measure(text: &str, limits: &DocumentLimits) -> Result<Measure, BudgetError> {
    measure_document(text, limits).map(|(measure, _)| measure)
}

/// The same, handing back the parsed document too, so that the engine need not parse it again.
pub fn measure_document(
    text: &str,
    limits: &DocumentLimits,
) -> Result<(Measure, ExecutableDocument), BudgetError> {
    let over = |what, limit: usize| BudgetError::Over {
        what,
        limit: limit as u64,
    };
    if count_tokens(text, limits.tokens) > limits.tokens {
        return Err(over("tokens", limits.tokens));
    }
    let doc =
        async_graphql::parser::parse_query(text).map_err(|e| BudgetError::Syntax(e.to_string()))?;
    if doc.fragments.len() > limits.fragments {
        return Err(over("fragments", limits.fragments));
    }
    let mut walker = Walker {
        doc: &doc,
        memo: HashMap::new(),
        visiting: Vec::new(),
        written: Written::default(),
    };
    // Every fragment's body is counted once, where it is written, used or not; the spreads in
    // it are measured through the memo, so this stays linear in the document.
    for def in doc.fragments.values() {
        walker.written.directives += def.node.directives.len();
        walker.set(&def.node.selection_set.node, true)?;
    }
    let mut measure = Measure {
        introspection: false,
        expanded_fields: 0,
        mutation: false,
    };
    for (_, op) in doc.operations.iter() {
        measure.mutation |= op.node.ty == async_graphql::parser::types::OperationType::Mutation;
        walker.written.directives += op.node.directives.len();
        let cost = walker.set(&op.node.selection_set.node, true)?;
        if cost.fields > limits.expanded_fields {
            return Err(BudgetError::Over {
                what: "fields once fragments are expanded",
                limit: limits.expanded_fields,
            });
        }
        // The standard introspection query (GraphiQL's, every client generator's) nests its
        // `ofType` chain past any depth a data query needs; its size stays bound by the fields
        // budget above, and introspection can be switched off altogether.
        let depth_limit = if cost.introspection {
            limits.expanded_depth.max(INTROSPECTION_DEPTH)
        } else {
            limits.expanded_depth
        };
        if cost.depth > depth_limit {
            return Err(over("levels of nesting", depth_limit));
        }
        measure.introspection |= cost.introspection;
        measure.expanded_fields = measure.expanded_fields.max(cost.fields);
    }
    let w = &walker.written;
    if w.spreads > limits.spreads {
        return Err(over("fragment spreads", limits.spreads));
    }
    if w.aliases > limits.aliases {
        return Err(over("aliases", limits.aliases));
    }
    if w.directives > limits.directives {
        return Err(over("directives", limits.directives));
    }
    Ok((measure, doc))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn bomb(depth: usize) -> String {
        let mut q = String::from("fragment F0 on Query { revision }\n");
        for i in 1..=depth {
            q.push_str(&format!(
                "fragment F{i} on Query {{ ...F{} ...F{} }}\n",
                i - 1,
                i - 1
            ));
        }
        q.push_str(&format!("{{ ...F{depth} }}"));
        q
    }

    #[test]
    fn a_fragment_bomb_is_measured_without_expanding_it_and_refused() {
        let limits = DocumentLimits::default();
        let err = measure(&bomb(30), &limits).unwrap_err();
        assert!(matches!(
            err,
            BudgetError::Over {
                what: "fields once fragments are expanded",
                ..
            }
        ));
        assert!(measure(&bomb(5), &limits).is_ok(), "32 fields are fine");
    }

    #[test]
    fn introspection_is_read_from_fields_not_from_text() {
        let limits = DocumentLimits::default();
        let m = |q: &str| measure(q, &limits).unwrap().introspection;
        assert!(m("{ __schema { types { name } } }"));
        assert!(m(
            "fragment T on Query { __type(name: \"Unit\") { name } } { ...T }"
        ));
        assert!(!m("{ __typename me { name } }"));
        assert!(!m("# __schema in a comment\n{ revision }"));
        assert!(!m("{ unitByName(name: \"__schema\") { name } }"));
    }

    /// GraphiQL's introspection nests `ofType` 13 levels deep: it passes, a data query as deep
    /// does not, and introspection has its own ceiling.
    #[test]
    fn introspection_may_nest_deeper_than_data_but_not_without_bound() {
        let limits = DocumentLimits::default();
        let nest = |root: &str, levels: usize| {
            format!(
                "{{ {root} {}{}}}",
                "{ ofType ".repeat(levels),
                "{ name }".to_owned() + &" }".repeat(levels)
            )
        };
        let introspection = |levels| nest("__schema { types { fields { type", levels) + " } } }";
        assert!(measure(&introspection(9), &limits).is_ok());
        assert!(measure(&introspection(30), &limits).is_err());
        let data = format!(
            "{{ me {}{{ name }}{} }}",
            "{ mandates ".repeat(13),
            " }".repeat(13)
        );
        assert!(measure(&data, &limits).is_err());
    }

    #[test]
    fn cycles_and_unknown_fragments_are_refused_before_the_engine() {
        let limits = DocumentLimits::default();
        let cycle = "fragment A on Query { ...B } fragment B on Query { ...A } { ...A }";
        assert!(matches!(
            measure(cycle, &limits),
            Err(BudgetError::Cycle(_))
        ));
        assert!(matches!(
            measure("{ ...Nowhere }", &limits),
            Err(BudgetError::UnknownFragment(_))
        ));
    }

    #[test]
    fn tokens_aliases_and_fragments_are_bounded() {
        let limits = DocumentLimits::default();
        let many = format!("{{ {} }}", "revision ".repeat(20_000));
        assert!(matches!(
            measure(&many, &limits),
            Err(BudgetError::Over { what: "tokens", .. })
        ));
        let aliases: String = (0..300).map(|i| format!("a{i}: revision ")).collect();
        assert!(matches!(
            measure(&format!("{{ {aliases} }}"), &limits),
            Err(BudgetError::Over {
                what: "aliases",
                ..
            })
        ));
        let fragments: String = (0..101)
            .map(|i| format!("fragment X{i} on Query {{ revision }} "))
            .collect();
        assert!(matches!(
            measure(&format!("{fragments} {{ revision }}"), &limits),
            Err(BudgetError::Over {
                what: "fragments",
                ..
            })
        ));
    }

    #[test]
    fn strings_and_comments_count_as_one_token_or_none() {
        assert_eq!(count_tokens("# a b c\n{ x(s: \"a b c\") }", 100), 8);
        assert_eq!(count_tokens("\"\"\"a \"\" b\"\"\" y", 100), 2);
        assert_eq!(
            count_tokens("#\r{ a b }", 100),
            4,
            "a comment ends at a carriage return"
        );
    }
}
