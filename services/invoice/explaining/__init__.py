"""Invoice explanations: every line broken down in words and numbers, for the API and the PDF."""

from services.invoice.explaining.explainer import Explainer
from services.invoice.explaining.rating_reads import GrpcRatingExplanations, RatingExplanations

__all__ = ["Explainer", "GrpcRatingExplanations", "RatingExplanations"]
