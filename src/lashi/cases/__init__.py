"""Beauty-aware case handling (spec §8): triage of complaint text, the ingredient dictionary,
the claim check and the allergy mapping.

Sub-modules are imported on demand; importing this package does no work.

- ``lashi.cases.triage``       categories, emotion, urgency; agent-reply tone
- ``lashi.cases.ingredients``  cosmetic ingredient dictionary and label normaliser
- ``lashi.cases.claims``       on-air claim check against a label
- ``lashi.cases.allergy``      symptom → likely culprit ingredients, evidence, report deadline
"""
