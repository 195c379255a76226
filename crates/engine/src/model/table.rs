//! The columnar, interned table of categorical annotations that every agreement measure runs over.
//!
//! Item, annotator and label are `u32` ids from [`Interner`]s; rows are grouped by item (CSR: the rows of item `i`
//! are `offsets[i]..offsets[i+1]`). Measures make one or a few linear passes over ids — no maps in the hot loop,
//! no items × labels × labels arrays — and names appear only at the edges.

use rustc_hash::FxHashMap;

use crate::sorting::LeanSort;

/// String ↔ dense `u32` id, in first-seen order. FxHash: ids and labels are short strings from trusted-enough
/// input, and interning is the hot loop of every reader (SipHash cost ~30 % of reading a 1e6-row CSV).
#[derive(Debug, Clone, Default)]
pub struct Interner {
    names: Vec<Box<str>>,
    ids: FxHashMap<Box<str>, u32>,
}

/// Equal when the same names have the same ids.
impl PartialEq for Interner {
    fn eq(&self, other: &Self) -> bool {
        self.names == other.names
    }
}

/// Serialised as its names in id order (ids are positions), so it reads back with the same ids.
impl serde::Serialize for Interner {
    fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.collect_seq(self.names())
    }
}

impl<'de> serde::Deserialize<'de> for Interner {
    fn deserialize<D: serde::Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        Interner::from_names(&Vec::<String>::deserialize(d)?).map_err(serde::de::Error::custom)
    }
}

impl Interner {
    /// The names with ids in list order; a name listed twice is refused.
    pub fn from_names(names: &[String]) -> Result<Interner, TableError> {
        Interner::from_listed(names.len(), names.iter().map(|n| Ok(n.as_str())))
    }
    /// `n` names (or why one cannot be read) with ids in list order; a name listed twice is refused.
    fn from_listed<'a>(
        n: usize,
        names: impl Iterator<Item = Result<&'a str, TableError>>,
    ) -> Result<Interner, TableError> {
        let mut out = Interner::default();
        out.names.reserve(n);
        out.ids.reserve(n);
        for (k, name) in names.enumerate() {
            let name = name?;
            if out.intern(name) as usize != k {
                return Err(TableError::NameTwice { name: name.to_string() });
            }
        }
        Ok(out)
    }
    /// The names as one UTF-8 text and where each ends (byte offsets): how a list of hundreds of thousands of names
    /// crosses to another thread as two buffers instead of a string apiece.
    pub fn joined(&self) -> (Vec<u8>, Vec<u32>) {
        let mut text = Vec::with_capacity(self.names.iter().map(|n| n.len()).sum());
        let mut ends = Vec::with_capacity(self.names.len());
        for n in &self.names {
            text.extend_from_slice(n.as_bytes());
            ends.push(text.len() as u32);
        }
        (text, ends)
    }
    /// The names back from [`Self::joined`]'s form; ends that go back or past the text, text that is not UTF-8
    /// there, and a name twice are refused.
    pub fn from_joined(text: &[u8], ends: &[u32]) -> Result<Interner, TableError> {
        let starts = std::iter::once(0).chain(ends.iter().map(|&e| e as usize));
        let names = starts.zip(ends).enumerate().map(|(k, (start, &end))| {
            text.get(start..end as usize)
                .and_then(|b| std::str::from_utf8(b).ok())
                .ok_or(TableError::BadOffsets { item: k })
        });
        Interner::from_listed(ends.len(), names)
    }
    /// The id of `name`, adding it if new.
    pub fn intern(&mut self, name: &str) -> u32 {
        if let Some(&id) = self.ids.get(name) {
            return id;
        }
        let id = self.names.len() as u32;
        self.names.push(name.into());
        self.ids.insert(name.into(), id);
        id
    }
    /// The id of `name`, if known.
    pub fn get(&self, name: &str) -> Option<u32> {
        self.ids.get(name).copied()
    }
    /// The name of `id`.
    pub fn name(&self, id: u32) -> &str {
        &self.names[id as usize]
    }
    /// Names known.
    pub fn len(&self) -> usize {
        self.names.len()
    }
    /// Whether no name is known.
    pub fn is_empty(&self) -> bool {
        self.names.is_empty()
    }
    /// Names in id order.
    pub fn names(&self) -> impl Iterator<Item = &str> {
        self.names.iter().map(|s| &**s)
    }
}

/// An annotator labelled the same item twice; `first` and `second` are input row indices.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct DuplicateAnnotation {
    /// The item's name.
    pub item: String,
    /// The annotator's name.
    pub annotator: String,
    /// The first row's index.
    pub first: usize,
    /// The second row's index.
    pub second: usize,
}

impl std::fmt::Display for DuplicateAnnotation {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "annotator `{}` has two annotations of item `{}`", self.annotator, self.item)
    }
}

impl std::error::Error for DuplicateAnnotation {}

/// Why rows could not become a [`CategoricalTable`].
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum TableError {
    /// A row's id is past the end of its name list.
    UnlistedName {
        /// The row's index.
        row: usize,
    },
    /// One annotator labelled one item twice.
    Twice(DuplicateAnnotation),
    /// There is no item-level choice to tabulate.
    NoChoices,
    /// The control asked for is not in the schema.
    NoSuchControl {
        /// The control's name.
        control: String,
    },
    /// The schema has no control.
    NoControls,
    /// A column given for a table's items has another length.
    ColumnLength {
        /// The column's name.
        column: &'static str,
        /// The table's items.
        expected: usize,
        /// The column's length.
        found: usize,
    },
    /// A list of names (an interner's, sent elsewhere) holds a name twice.
    NameTwice {
        /// The name.
        name: String,
    },
    /// A table's item offsets (given as columns) go back, or do not start at 0 or end at the rows' count.
    BadOffsets {
        /// The first item whose offsets are wrong.
        item: usize,
    },
    /// A name order given for a table is not a permutation of its ids sorted by name.
    NotNameOrder {
        /// `items` or `annotators`.
        of: &'static str,
    },
}

impl std::fmt::Display for TableError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            TableError::UnlistedName { row } => write!(f, "row {row} refers to a name that is not listed"),
            TableError::Twice(d) => d.fmt(f),
            TableError::NoChoices => f.write_str("the export has no item-level choices"),
            TableError::NoSuchControl { control } => write!(f, "the schema has no control `{control}`"),
            TableError::NoControls => f.write_str("the schema has no controls"),
            TableError::ColumnLength { column, expected, found } => {
                write!(f, "the {column} column has {found} entries for {expected} items")
            }
            TableError::NameTwice { name } => write!(f, "the name `{name}` is listed twice"),
            TableError::BadOffsets { item } => write!(f, "the rows of item {item} are not where the offsets say"),
            TableError::NotNameOrder { of } => write!(f, "the {of}' order given is not the table's {of} by name"),
        }
    }
}

impl std::error::Error for TableError {}

/// Collects rows, then groups them by item.
#[derive(Debug, Default)]
pub struct TableBuilder {
    /// Item names.
    pub items: Interner,
    /// Annotator names.
    pub annotators: Interner,
    /// Label names.
    pub labels: Interner,
    rows: Vec<[u32; 3]>,
}

impl TableBuilder {
    /// An empty builder.
    pub fn new() -> Self {
        Self::default()
    }
    /// An empty builder with room for `n` rows.
    pub fn with_capacity(n: usize) -> Self {
        TableBuilder { rows: Vec::with_capacity(n), ..Self::default() }
    }
    /// Adds a row by names.
    pub fn push(&mut self, item: &str, annotator: &str, label: &str) {
        // Rows of one item usually come together: skip the hash lookup when the item repeats.
        let item = match self.rows.last() {
            Some(last) if (last[0] as usize) < self.items.len() && self.items.name(last[0]) == item => last[0],
            _ => self.items.intern(item),
        };
        let row = [item, self.annotators.intern(annotator), self.labels.intern(label)];
        self.rows.push(row);
    }
    /// Adds a row by ids (interned already).
    pub fn push_ids(&mut self, item: u32, annotator: u32, label: u32) {
        self.rows.push([item, annotator, label]);
    }
    /// Rows added.
    pub fn len(&self) -> usize {
        self.rows.len()
    }
    /// Whether no row was added.
    pub fn is_empty(&self) -> bool {
        self.rows.is_empty()
    }

    /// Groups rows by item (a counting sort: O(rows), stable, so rows keep input order within an item) and
    /// refuses an annotator who labels one item twice.
    pub fn finish(self) -> Result<CategoricalTable, DuplicateAnnotation> {
        let n_items = self.items.len().max(self.rows.iter().map(|r| r[0] as usize + 1).max().unwrap_or(0));
        let mut offsets = vec![0u32; n_items + 1];
        for r in &self.rows {
            offsets[r[0] as usize + 1] += 1;
        }
        for i in 0..n_items {
            offsets[i + 1] += offsets[i];
        }
        let mut next = offsets.clone();
        let n = self.rows.len();
        let mut annotator = vec![0u32; n];
        let mut label = vec![0u32; n];
        let mut source = vec![0u32; n];
        for (row_index, r) in self.rows.iter().enumerate() {
            let at = next[r[0] as usize] as usize;
            next[r[0] as usize] += 1;
            annotator[at] = r[1];
            label[at] = r[2];
            source[at] = row_index as u32;
        }
        let n_annotators = self.annotators.len().max(annotator.iter().map(|&a| a as usize + 1).max().unwrap_or(0));
        if let Some((i, a, first, second)) = first_duplicate(&offsets, &annotator, n_annotators) {
            let name = |int: &Interner, id: usize| {
                if id < int.len() {
                    int.name(id as u32).to_string()
                } else {
                    id.to_string()
                }
            };
            return Err(DuplicateAnnotation {
                item: name(&self.items, i),
                annotator: name(&self.annotators, a),
                first: source[first] as usize,
                second: source[second] as usize,
            });
        }
        let mut items = self.items;
        let mut annotators = self.annotators;
        let mut labels = self.labels;
        // Tables built from ids (benchmarks, property tests) get numeric names.
        for (int, n) in [(&mut items, n_items), (&mut annotators, n_annotators)] {
            while int.len() < n {
                let id = int.len();
                int.intern(&format!("#{id}"));
            }
        }
        let n_labels = label.iter().map(|&l| l as usize + 1).max().unwrap_or(0);
        while labels.len() < n_labels {
            let id = labels.len();
            labels.intern(&id.to_string());
        }
        Ok(CategoricalTable { items, annotators, labels, offsets, annotator, label })
    }
}

/// Categorical annotations grouped by item. Build with [`TableBuilder`].
#[derive(Debug, Clone)]
pub struct CategoricalTable {
    /// Item names.
    pub items: Interner,
    /// Annotator names.
    pub annotators: Interner,
    /// Label names.
    pub labels: Interner,
    offsets: Vec<u32>,
    annotator: Vec<u32>,
    label: Vec<u32>,
}

impl CategoricalTable {
    /// Items (with or without labels).
    pub fn n_items(&self) -> usize {
        self.offsets.len() - 1
    }
    /// Labels given.
    pub fn n_annotations(&self) -> usize {
        self.label.len()
    }
    /// Distinct labels.
    pub fn n_labels(&self) -> usize {
        self.labels.len()
    }
    /// Annotators.
    pub fn n_annotators(&self) -> usize {
        self.annotators.len()
    }
    /// Annotator ids of item `i`'s rows.
    pub fn annotators_of(&self, i: usize) -> &[u32] {
        &self.annotator[self.offsets[i] as usize..self.offsets[i + 1] as usize]
    }
    /// Label ids of item `i`'s rows (same order as [`Self::annotators_of`]).
    pub fn labels_of(&self, i: usize) -> &[u32] {
        &self.label[self.offsets[i] as usize..self.offsets[i + 1] as usize]
    }
    /// The table from its columns (as [`Self::columns`] gives them, e.g. sent from a worker), checked: offsets
    /// that start at 0, never go back and end at the rows' count; ids within their name lists; no annotator twice
    /// on an item. No sort and no hashing of rows: a million rows in one pass.
    pub fn from_columns(
        names: [Interner; 3],
        offsets: Vec<u32>,
        annotator: Vec<u32>,
        label: Vec<u32>,
    ) -> Result<CategoricalTable, TableError> {
        let [items, annotators, labels] = names;
        let n = annotator.len();
        for (column, expected, found) in [("offsets", items.len() + 1, offsets.len()), ("labels", n, label.len())] {
            if found != expected {
                return Err(TableError::ColumnLength { column, expected, found });
            }
        }
        if offsets[0] != 0 {
            return Err(TableError::BadOffsets { item: 0 });
        }
        if let Some(i) = offsets.windows(2).position(|w| w[1] < w[0]) {
            return Err(TableError::BadOffsets { item: i });
        }
        if offsets[items.len()] as usize != n {
            return Err(TableError::BadOffsets { item: items.len().saturating_sub(1) });
        }
        if let Some(row) =
            (0..n).find(|&k| annotator[k] as usize >= annotators.len() || label[k] as usize >= labels.len())
        {
            return Err(TableError::UnlistedName { row });
        }
        if let Some((i, a, first, second)) = first_duplicate(&offsets, &annotator, annotators.len()) {
            return Err(TableError::Twice(DuplicateAnnotation {
                item: items.name(i as u32).to_string(),
                annotator: annotators.name(a as u32).to_string(),
                first,
                second,
            }));
        }
        Ok(CategoricalTable { items, annotators, labels, offsets, annotator, label })
    }
    /// The rows as columns: each item's first row (one more than the items: the end), then every row's annotator
    /// and label ids, grouped by item.
    pub fn columns(&self) -> [&[u32]; 3] {
        [&self.offsets, &self.annotator, &self.label]
    }
    /// All rows as (item, annotator, label) ids, grouped by item.
    pub fn rows(&self) -> impl Iterator<Item = (u32, u32, u32)> + '_ {
        (0..self.n_items()).flat_map(move |i| {
            self.annotators_of(i).iter().zip(self.labels_of(i)).map(move |(&a, &l)| (i as u32, a, l))
        })
    }
}

/// The first annotator found twice on one item of grouped rows, as (item, annotator, first row, second row): one
/// pass, `last_item[a]` being 1 + the last item annotator `a` was seen on.
fn first_duplicate(offsets: &[u32], annotator: &[u32], n_annotators: usize) -> Option<(usize, usize, usize, usize)> {
    let mut last_item = vec![0u32; n_annotators];
    let mut last_row = vec![0u32; n_annotators];
    for i in 0..offsets.len().saturating_sub(1) {
        let (from, to) = (offsets[i] as usize, offsets[i + 1] as usize);
        for (at, &a) in (from..to).zip(&annotator[from..to]) {
            let a = a as usize;
            if last_item[a] == i as u32 + 1 {
                return Some((i, a, last_row[a] as usize, at));
            }
            last_item[a] = i as u32 + 1;
            last_row[a] = at as u32;
        }
    }
    None
}

/// A table's items and annotators in name order (byte order of the names, as `BTreeMap<String, _>` keeps them):
/// the review queue's tie order and the order consensus maps are built in. Computed where there is time (the import
/// worker) and handed over with the table, so the page never sorts hundreds of thousands of names.
#[derive(Debug, Clone, PartialEq)]
pub struct NameOrder {
    items: Vec<u32>,
    annotators: Vec<u32>,
}

impl NameOrder {
    /// The order of `table`'s names (names already in order cost one pass).
    pub fn of(table: &CategoricalTable) -> NameOrder {
        NameOrder { items: by_name(&table.items), annotators: by_name(&table.annotators) }
    }
    /// An order computed elsewhere, checked against `table`: each list must hold every id once, names ascending.
    pub fn checked(table: &CategoricalTable, items: Vec<u32>, annotators: Vec<u32>) -> Result<NameOrder, TableError> {
        for (of, ids, int) in [("items", &items, &table.items), ("annotators", &annotators, &table.annotators)] {
            let mut seen = vec![false; int.len()];
            let permutation = ids.len() == int.len()
                && ids.iter().all(|&id| (id as usize) < seen.len() && !std::mem::replace(&mut seen[id as usize], true));
            if !permutation || !ids.windows(2).all(|w| int.name(w[0]) < int.name(w[1])) {
                return Err(TableError::NotNameOrder { of });
            }
        }
        Ok(NameOrder { items, annotators })
    }
    /// Item ids by name.
    pub fn items(&self) -> &[u32] {
        &self.items
    }
    /// Annotator ids by name.
    pub fn annotators(&self) -> &[u32] {
        &self.annotators
    }
    /// Each id's place in `order` (`ranks(o)[id]`).
    pub fn ranks(order: &[u32]) -> Vec<u32> {
        let mut rank = vec![0u32; order.len()];
        for (r, &id) in order.iter().enumerate() {
            rank[id as usize] = r as u32;
        }
        rank
    }
}

fn by_name(int: &Interner) -> Vec<u32> {
    let mut order: Vec<u32> = (0..int.len() as u32).collect();
    if !int.names().is_sorted() {
        order.lean_sort_by(|&a, &b| int.name(a).cmp(int.name(b)));
    }
    order
}

/// A [`CategoricalTable`] in a compact serialisable form — names once, then `[item, annotator, label]` ids — so a
/// table can cross from a worker to the page (or into a file) and be rebuilt with the same ids.
#[derive(Debug, Clone, Default, PartialEq, serde::Serialize, serde::Deserialize)]
pub struct TableRows {
    /// Item names, by id.
    pub items: Vec<String>,
    /// Annotator names, by id.
    pub annotators: Vec<String>,
    /// Label names, by id.
    pub labels: Vec<String>,
    /// `[item, annotator, label]` ids, one per label.
    pub rows: Vec<[u32; 3]>,
}

impl From<&CategoricalTable> for TableRows {
    fn from(t: &CategoricalTable) -> Self {
        let names = |i: &Interner| i.names().map(str::to_string).collect();
        TableRows {
            items: names(&t.items),
            annotators: names(&t.annotators),
            labels: names(&t.labels),
            rows: t.rows().map(|(i, a, l)| [i, a, l]).collect(),
        }
    }
}

impl TableRows {
    /// The table again, with the same ids. Ids out of range or an annotator twice on an item are refused.
    pub fn table(&self) -> Result<CategoricalTable, TableError> {
        let mut b = TableBuilder::with_capacity(self.rows.len());
        for (int, names) in
            [(&mut b.items, &self.items), (&mut b.annotators, &self.annotators), (&mut b.labels, &self.labels)]
        {
            for n in names {
                int.intern(n);
            }
        }
        let lens = [self.items.len(), self.annotators.len(), self.labels.len()];
        for (k, r) in self.rows.iter().enumerate() {
            if r.iter().zip(lens).any(|(&id, n)| id as usize >= n) {
                return Err(TableError::UnlistedName { row: k });
            }
            b.push_ids(r[0], r[1], r[2]);
        }
        b.finish().map_err(TableError::Twice)
    }
}
