"""44 U.S.C. § 2911 compliance: which records sent from non-official accounts reached an
official account in time (DESIGN §5)."""
