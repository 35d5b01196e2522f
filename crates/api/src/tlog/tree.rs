//! An estate's log as an RFC 6962 Merkle tree, built in memory from its leaf hashes, with the
//! proofs `tlog_tiles` computes and checks (the algorithm of Go's `sumdb/tlog`, which is RFC
//! 6962's tree). Nothing here hashes a node itself.

use tlog_tiles::tlog::{
    self, Hash, HashReader, RecordProof, TreeProof, stored_hashes_for_record_hash,
};

use crate::tlog::LogError;

/// Every stored hash of a tree of `size` leaves (about two per leaf), in `tlog`'s index order.
pub struct Tree {
    stored: Vec<Hash>,
    size: u64,
}

impl HashReader for Tree {
    fn read_hashes(&self, indexes: &[u64]) -> Result<Vec<Hash>, tlog::Error> {
        indexes
            .iter()
            .map(|&i| {
                usize::try_from(i)
                    .ok()
                    .and_then(|i| self.stored.get(i))
                    .copied()
                    .ok_or_else(|| tlog::Error::InvalidInput(format!("no stored hash {i}")))
            })
            .collect()
    }
}

impl Tree {
    /// The tree of these leaf hashes (SHA-256 of 0x00 and the leaf, RFC 6962 §2.1).
    pub fn build(leaves: &[[u8; 32]]) -> Result<Tree, LogError> {
        let mut tree = Tree {
            stored: Vec::with_capacity(leaves.len() * 2),
            size: 0,
        };
        for (n, leaf) in leaves.iter().enumerate() {
            let n = u64::try_from(n).map_err(|_| LogError::TooLarge)?;
            let new = stored_hashes_for_record_hash(n, Hash(*leaf), &tree)?;
            tree.stored.extend(new);
            tree.size = n + 1;
        }
        Ok(tree)
    }

    pub fn size(&self) -> u64 {
        self.size
    }

    /// The root hash of the whole tree.
    pub fn root(&self) -> Result<Hash, LogError> {
        Ok(tlog::tree_hash(self.size, self)?)
    }

    /// The audit path of leaf `index` up to this tree's root.
    pub fn inclusion(&self, index: u64) -> Result<RecordProof, LogError> {
        Ok(tlog::prove_record(self.size, index, self)?)
    }

    /// The proof that this tree extends the tree of its first `old_size` leaves.
    pub fn consistency(&self, old_size: u64) -> Result<TreeProof, LogError> {
        Ok(tlog::prove_tree(self.size, old_size, self)?)
    }
}

/// Whether `leaf` (a leaf hash) is leaf `index` of the tree of `size` leaves with root `root`.
pub fn check_inclusion(
    proof: &RecordProof,
    size: u64,
    root: Hash,
    index: u64,
    leaf: Hash,
) -> Result<(), LogError> {
    tlog::check_record(proof, size, root, index, leaf).map_err(|_| LogError::NotIncluded)
}

/// Whether the tree of `new_size` leaves with `new_root` extends the one of `old_size` with
/// `old_root`.
pub fn check_consistency(
    proof: &TreeProof,
    new_size: u64,
    new_root: Hash,
    old_size: u64,
    old_root: Hash,
) -> Result<(), LogError> {
    if old_size == new_size {
        return if old_root == new_root {
            Ok(())
        } else {
            Err(LogError::Inconsistent)
        };
    }
    tlog::check_tree(proof, new_size, new_root, old_size, old_root)
        .map_err(|_| LogError::Inconsistent)
}

#[cfg(test)]
mod tests {
    use super::*;
    use tlog_tiles::tlog::record_hash;

    fn leaves(n: usize) -> Vec<[u8; 32]> {
        (0..n)
            .map(|i| record_hash(format!("entry {i}").as_bytes()).0)
            .collect()
    }

    #[test]
    fn every_leaf_is_proved_in_every_tree_and_every_tree_extends_the_smaller_ones() {
        let all = leaves(13);
        for size in 1..=all.len() {
            let tree = Tree::build(&all[..size]).unwrap();
            let root = tree.root().unwrap();
            for (i, leaf) in all[..size].iter().enumerate() {
                let proof = tree.inclusion(i as u64).unwrap();
                check_inclusion(&proof, size as u64, root, i as u64, Hash(*leaf)).unwrap();
                // Another leaf at that place is refused.
                let other = Hash(all[(i + 1) % all.len()]);
                if size > 1 {
                    assert!(check_inclusion(&proof, size as u64, root, i as u64, other).is_err());
                }
            }
            for old in 1..=size {
                let old_root = Tree::build(&all[..old]).unwrap().root().unwrap();
                let proof = tree.consistency(old as u64).unwrap();
                check_consistency(&proof, size as u64, root, old as u64, old_root).unwrap();
            }
        }
    }

    #[test]
    fn a_rewritten_history_does_not_extend_the_tree_a_witness_kept() {
        let honest = leaves(10);
        let kept = Tree::build(&honest[..6]).unwrap();
        let mut rewritten = honest.clone();
        rewritten[3] = record_hash(b"a changed ballot").0;
        let forged = Tree::build(&rewritten).unwrap();
        let proof = forged.consistency(6).unwrap();
        assert!(
            check_consistency(&proof, 10, forged.root().unwrap(), 6, kept.root().unwrap()).is_err()
        );
    }

    #[test]
    fn the_root_is_rfc_6962s() {
        // RFC 6962 §2.1: MTH of one leaf is SHA-256(0x00 || leaf); of none, SHA-256("").
        let tree = Tree::build(&[record_hash(b"").0]).unwrap();
        assert_eq!(
            format!("{}", tree.root().unwrap()),
            format!("{}", record_hash(b""))
        );
        assert_eq!(Tree::build(&[]).unwrap().root().unwrap(), tlog::EMPTY_HASH);
    }
}
