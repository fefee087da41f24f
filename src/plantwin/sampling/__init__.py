"""Acceptance sampling by attributes: ISO 2859-1 / ANSI Z1.4 / MIL-STD-105E single sampling.

Standard tables (code letters, normal / tightened / reduced plans), the switching rules as a
state machine per product stream, plan performance (OC curve, AOQ, AOQL, ATI, risks) and plan
design. Usable on its own, without the simulation engine.
"""

from plantwin.sampling._design import PlanDesign, design_plan
from plantwin.sampling._oc import (
    MODELS,
    AOQLResult,
    Model,
    OCCurve,
    aoq,
    aoql,
    ati,
    consumers_risk,
    oc_curve,
    p_accept,
    p_at_pa,
    producers_risk,
)
from plantwin.sampling._switching import InspectionState, SwitchingRules, Transition
from plantwin.sampling._tables import (
    AQL_VALUES,
    INSPECTIONS,
    LEVELS,
    SCHEMES,
    Inspection,
    SamplingError,
    SamplingPlan,
    Scheme,
    code_letter,
    normalize_aql,
    plan,
)

__all__ = [
    "AQL_VALUES",
    "INSPECTIONS",
    "LEVELS",
    "MODELS",
    "SCHEMES",
    "AOQLResult",
    "Inspection",
    "InspectionState",
    "Model",
    "OCCurve",
    "PlanDesign",
    "SamplingError",
    "SamplingPlan",
    "Scheme",
    "SwitchingRules",
    "Transition",
    "aoq",
    "aoql",
    "ati",
    "code_letter",
    "consumers_risk",
    "design_plan",
    "normalize_aql",
    "oc_curve",
    "p_accept",
    "p_at_pa",
    "plan",
    "producers_risk",
]
