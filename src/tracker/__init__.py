"""Follow-up tool for the twenty proposals of « Vers un modèle français des villes
intelligentes partagées » (MEAE / CNCD, 2018)."""

__version__ = "0.1.0"
