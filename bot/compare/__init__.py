""""A or B?": pairwise preference between a challenge's ideas, scored with a Bradley-Terry model."""
