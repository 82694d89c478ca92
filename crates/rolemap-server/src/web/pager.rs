//! Pages of a long list: the page shown, how many there are, which items it holds and the
//! addresses of its neighbours.

use serde::Serialize;

#[derive(Debug, Serialize)]
pub(crate) struct Pager {
    pub(crate) page: u64,
    pub(crate) pages: u64,
    /// 1-based positions of the first and last items shown (0 and 0 for an empty list).
    pub(crate) first: u64,
    pub(crate) last: u64,
    pub(crate) total: u64,
    pub(crate) previous: Option<String>,
    pub(crate) next: Option<String>,
}

impl Pager {
    /// Page `page` (from 1, held within the pages there are) of `total` items, `per_page` a
    /// page, with `address` giving each page's address.
    pub(crate) fn new(
        total: u64,
        per_page: u64,
        page: u64,
        address: impl Fn(u64) -> String,
    ) -> Pager {
        let per_page = per_page.max(1);
        let pages = total.div_ceil(per_page).max(1);
        let page = page.clamp(1, pages);
        let start = (page - 1) * per_page;
        Pager {
            page,
            pages,
            first: if total == 0 { 0 } else { start + 1 },
            last: (start + per_page).min(total),
            total,
            previous: (page > 1).then(|| address(page - 1)),
            next: (page < pages).then(|| address(page + 1)),
        }
    }

    /// The 0-based positions of the items shown.
    pub(crate) fn range(&self) -> std::ops::Range<usize> {
        let index = |n: u64| usize::try_from(n).unwrap_or(usize::MAX);
        index(self.first.saturating_sub(1))..index(self.last)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_page_past_the_end_is_the_last_and_an_empty_list_has_one_empty_page() {
        let pager = Pager::new(230, 100, 9, |n| format!("?page={n}"));
        assert_eq!(
            (pager.page, pager.pages, pager.first, pager.last),
            (3, 3, 201, 230)
        );
        assert_eq!(pager.range(), 200..230);
        assert_eq!(pager.previous.as_deref(), Some("?page=2"));
        assert_eq!(pager.next, None);
        let empty = Pager::new(0, 100, 1, |n| n.to_string());
        assert_eq!((empty.pages, empty.first, empty.last), (1, 0, 0));
        assert_eq!(empty.range(), 0..0);
    }
}
